package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.abs

class NtXentLossSpec : FunSpec({
  test("hand-derived: B = 1, two orthogonal views, t = 0.5") {
    // z = [(1,0); (0,1)]: each anchor has only its positive left after masking itself: loss 0
    val v = Tf.eagerOn(listOf(mat(f(1, 0)), mat(f(0, 1)))) { tf, (a, b) -> NtXentLoss.create().call(tf, a, b) }[0]
    (v near 0.0) shouldBe true
    // B = 2: z1 = [e1, e2], z2 = [e1, -e2]; anchor e1: logits to (e2, e1, -e2) = (0, 2, 0) / 0.5 -> positive 2/0.5 = 4... by the reference
    val z1 = mat(f(1, 0), f(0, 1))
    val z2 = mat(f(1, 0), f(0, -1))
    val got = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().withReduction(Reduction.NONE).call(tf, a, b) }
    // anchor 0 (e1): others e2 (0), e1 (1, the positive), -e2 (0): -log(e^2 / (e^0 + e^2 + e^0));
    // anchor 1 (e2): others e1 (0), e1 (0), -e2 (-1, the positive): -log(e^-2 / (2 + e^-2));
    // anchors 2 and 3 mirror 0 and 1
    val e2 = kotlin.math.exp(2.0)
    val easy = -kotlin.math.ln(e2 / (2 + e2))
    val hard = -kotlin.math.ln(1 / e2 / (2 + 1 / e2))
    got.shouldMatch(listOf(easy, hard, easy, hard), "hand-derived")
    got.shouldMatch(SoftmaxRefs.ntXent(z1, z2, 0.5), "reference")
  }

  test("random batch against the reference, mean over 2B anchors") {
    val rnd = kotlin.random.Random(9)
    val z1 = randomMat(rnd, 5, 3)
    val z2 = randomMat(rnd, 5, 3)
    for (t in listOf(0.5f, 0.1f)) {
      val got = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().withTemperature(t).call(tf, a, b) }[0]
      (got near SoftmaxRefs.ntXent(z1, z2, t.toDouble()).average()) shouldBe true
    }
  }

  test("takes a similarity: dot product and negative squared Euclidean, values and gradients") {
  val similarities = listOf(
    Distances.dot() to SoftmaxRefs.Sim.dot,
    Distances.squaredEuclidean() to SoftmaxRefs.Sim.negSquaredEuclidean,
  )
    val rnd = kotlin.random.Random(19)
    val z1 = randomMat(rnd, 3, 4)
    val z2 = randomMat(rnd, 3, 4)
    for ((distance, sim) in similarities) {
      val got = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().withDistance(distance).withReduction(Reduction.NONE).call(tf, a, b) }
      got.shouldMatch(SoftmaxRefs.ntXent(z1, z2, 0.5, sim), distance.name())
      Tf.checkGradients(listOf(z1, z2), reference = { (a, b) -> SoftmaxRefs.ntXent(a, b, 0.5, sim).average() }) { tf, (a, b) ->
        NtXentLoss.create().withDistance(distance).call(tf, a, b)
      }
    }
  }

  test("property: invariant to scaling the embeddings") {
    checkAll(20, Arb.long(), Arb.float(0.01f..100f, includeNaNs = false)) { seed, scale ->
      val rnd = kotlin.random.Random(seed)
      val z1 = randomMat(rnd, 4, 3)
      val z2 = randomMat(rnd, 4, 3)
      val base = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().call(tf, a, b) }[0]
      val scaled = Tf.eagerOn(listOf(z1.copy(FloatArray(12) { z1.data[it] * scale }), z2.copy(FloatArray(12) { z2.data[it] * scale }))) { tf, (a, b) ->
        NtXentLoss.create().call(tf, a, b)
      }[0]
      (abs(base - scaled) <= 1e-4f * maxOf(1f, abs(base))) shouldBe true
    }
  }

  test("gradients match finite differences of the plain-double reference at t = 0.5, 0.1 and 0.01") {
    val rnd = kotlin.random.Random(2)
    val z1 = randomMat(rnd, 3, 4)
    val z2 = randomMat(rnd, 3, 4)
    for (t in listOf(0.5, 0.1, 0.01)) {
      Tf.checkGradients(listOf(z1, z2), reference = { (a, b) -> SoftmaxRefs.ntXent(a, b, t).average() }) { tf, (a, b) ->
        NtXentLoss.create().withTemperature(t.toFloat()).call(tf, a, b)
      }
    }
  }

  test("gradients at t = 0.01 with identical views and a zero row have their hand-derived values") {
    // z1 = z2 = [u; 0], u = (1,2): z = [n, 0, n, 0], n = u/sqrt(5). Anchors 0 and 2 see their
    // positive at logit 100 against 0s: loss about e^-100. Anchors 1 and 3 (the zero rows) see three
    // zero logits: ln 3 each, mean ln(3)/2. Their d/dlogits (mean over 4) are 1/12 for the others
    // and -1/6 for the positive; dZ = (G + G^T) Z / t gives rows 1 and 3 (1/12 + 1/12) n / 0.01 and
    // rows 0 and 2 nothing (their partners are zero rows). Through the zero row's guard (x 1e6):
    // (1/6) * 100 * 1e6 * n; the u rows get 0.
    val same = mat(f(1, 2), f(0, 0))
    val value = Tf.eagerOn(listOf(same, same.copy())) { tf, (a, b) -> NtXentLoss.create().withTemperature(0.01f).call(tf, a, b) }
    value.shouldMatch(listOf(kotlin.math.ln(3.0) / 2), "loss")
    val g = Tf.gradients(listOf(same, same.copy())) { tf, (a, b) -> NtXentLoss.create().withTemperature(0.01f).call(tf, a, b) }
    val c = 100.0 / 6 * 1e6 / kotlin.math.sqrt(5.0)
    g[0].shouldMatch(listOf(0.0, 0.0, c, 2 * c), "d/dz1", atol = 1e-3)
    g[1].shouldMatch(listOf(0.0, 0.0, c, 2 * c), "d/dz2", atol = 1e-3)
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { NtXentLoss.create().withTemperature(0f) }.message.let { it shouldContain "temperature"; it shouldContain "0.0" }
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        NtXentLoss.create().call(tf, Tf.constant(tf, mat(f(1, 2), f(3, 4))), Tf.constant(tf, mat(f(1, 2))))
      }.message.let { it shouldContain "'z1'"; it shouldContain "'z2'"; it shouldContain "[2, 2]"; it shouldContain "[1, 2]" }
      shouldThrow<IllegalArgumentException> {
        val empty = Arr(longArrayOf(0, 3), FloatArray(0))
        NtXentLoss.create().call(tf, Tf.constant(tf, empty), Tf.constant(tf, empty))
      }.message.let { it shouldContain "empty batch"; it shouldContain "[0, 3]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        NtXentLoss.create().call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 2))
      }.message.let { it shouldContain "'z1'"; it shouldContain "[4, 3]"; it shouldContain "[4, 2]" }
      shouldThrow<IllegalArgumentException> {
        NtXentLoss.create().call(tf, Tf.placeholder(tf, 4), Tf.placeholder(tf, 4))
      }.message.let { it shouldContain "rank 2"; it shouldContain "[4]" }
      NtXentLoss.create().call(tf, Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1, 3))
    }
  }
})
