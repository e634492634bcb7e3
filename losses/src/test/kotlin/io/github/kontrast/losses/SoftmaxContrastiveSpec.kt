package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.exp
import kotlin.math.ln

class SoftmaxContrastiveSpec : FunSpec({
  // row 0: two positives, its first entry ignored; row 1: no positive; row 2: one positive, last entry ignored
  val logits = mat(f(1, 2, 0), f(0, 0, 0), f(3, 1, 2))
  val positives = mat(f(0, 1, 1), f(0, 0, 0), f(1, 0, 0))
  val ignore = mat(f(1, 0, 0), f(0, 0, 0), f(0, 0, 1))

  test("hand-derived per-anchor losses: L_out over several positives, no positive gives 0, ignored entries leave the softmax") {
    val got = Tf.eagerOn(listOf(logits, positives, ignore)) { tf, (l, p, i) -> SoftmaxContrastive.perAnchor(tf, l, p, i) }
    // row 0: LSE over {2, 0} = ln(e^2 + 1); -1/2 ((2 - LSE) + (0 - LSE)) = LSE - 1
    // row 2: LSE over {3, 1}; 3 - LSE = -ln(1 + e^-2)
    got.shouldMatch(listOf(ln(exp(2.0) + 1) - 1, 0.0, ln(1 + exp(-2.0))), "per anchor")
    // nothing ignored: row 0 gets the softmax over all three, row 2 as well
    val all = Tf.eagerOn(listOf(logits, positives)) { tf, (l, p) -> SoftmaxContrastive.perAnchor(tf, l, p) }
    all.shouldMatch(listOf(ln(exp(1.0) + exp(2.0) + 1) - 1, 0.0, ln(exp(3.0) + exp(1.0) + exp(2.0)) - 3), "nothing ignored")
  }

  test("hand-derived gradient: softmax over the kept entries minus the positives' share, 0 on ignored entries") {
    val g = Tf.gradients(listOf(logits, positives, ignore), wrt = listOf(0)) { tf, (l, p, i) -> SoftmaxContrastive.perAnchor(tf, l, p, i) }[0]
    val e2 = exp(2.0)
    val e3 = exp(3.0)
    val e1 = exp(1.0)
    g.shouldMatch(listOf(
      0.0, e2 / (e2 + 1) - 0.5, 1 / (e2 + 1) - 0.5,
      0.0, 0.0, 0.0,
      e3 / (e3 + e1) - 1, e1 / (e3 + e1), 0.0,
    ), "d/dlogits", atol = 1e-7)
    // the masks are targets: the loss does not reach them
    Tf.connected(listOf(logits, positives, ignore)) { tf, (l, p, i) -> SoftmaxContrastive.perAnchor(tf, l, p, i) } shouldBe listOf(true, false, false)
  }

  test("row-separable: row blocks computed apart give the whole, which a blockwise form relies on") {
    val rnd = kotlin.random.Random(40)
    val l = randomMat(rnd, 5, 4, 3f)
    val p = Arr(longArrayOf(5, 4), FloatArray(20) { if (rnd.nextInt(3) == 0) 1f else 0f })
    val whole = Tf.eagerOn(listOf(l, p)) { tf, (a, b) -> SoftmaxContrastive.perAnchor(tf, a, b) }
    val top = Tf.eagerOn(listOf(Arr(longArrayOf(2, 4), l.data.copyOfRange(0, 8)), Arr(longArrayOf(2, 4), p.data.copyOfRange(0, 8)))) { tf, (a, b) ->
      SoftmaxContrastive.perAnchor(tf, a, b)
    }
    val bottom = Tf.eagerOn(listOf(Arr(longArrayOf(3, 4), l.data.copyOfRange(8, 20)), Arr(longArrayOf(3, 4), p.data.copyOfRange(8, 20)))) { tf, (a, b) ->
      SoftmaxContrastive.perAnchor(tf, a, b)
    }
    (top + bottom).shouldMatch(whole.map { it.toDouble() }, "blocks", rtol = 0.0, atol = 0.0)
  }

  test("gradients match finite differences of the formula") {
    val rnd = kotlin.random.Random(41)
    val l = randomMat(rnd, 4, 5, 4f)
    val p = Arr(longArrayOf(4, 5), f(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0))
    val i = Arr(longArrayOf(4, 5), f(0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1))
    Tf.checkGradients(listOf(l, p, i), wrt = listOf(0), reference = { (lg, pos, ign) ->
      (0 until 4).sumOf { r ->
        val kept = (0 until 5).filter { ign.at(r * 5 + it) == 0.0 }
        val lse = ln(kept.sumOf { exp(lg.at(r * 5 + it)) })
        val ps = (0 until 5).filter { pos.at(r * 5 + it) == 1.0 }
        if (ps.isEmpty()) 0.0 else -ps.sumOf { lg.at(r * 5 + it) - lse } / ps.size
      }
    }) { tf, (a, b, c) -> SoftmaxContrastive.perAnchor(tf, a, b, c) }
  }

  test("bad shapes fail when the graph is built") {
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        SoftmaxContrastive.perAnchor(tf, Tf.placeholder(tf, 4, 5, 1), Tf.placeholder(tf, 4, 5, 1))
      }.message.let { it shouldContain "'logits'"; it shouldContain "rank 2"; it shouldContain "[4, 5, 1]" }
      shouldThrow<IllegalArgumentException> {
        SoftmaxContrastive.perAnchor(tf, Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 4, 4))
      }.message.let { it shouldContain "'positives'"; it shouldContain "[4, 5]"; it shouldContain "[4, 4]" }
      shouldThrow<IllegalArgumentException> {
        SoftmaxContrastive.perAnchor(tf, Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 5, 5))
      }.message.let { it shouldContain "'ignore'"; it shouldContain "[5, 5]" }
      SoftmaxContrastive.perAnchor(tf, Tf.placeholder(tf, -1, -1), Tf.placeholder(tf, -1, -1), Tf.placeholder(tf, -1, -1))
    }
  }
})
