package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.abs

class ClipLossSpec : FunSpec({
  val rnd = kotlin.random.Random(6)
  val img = randomMat(rnd, 4, 5)
  val txt = randomMat(rnd, 4, 5)
  val initial = ClipLoss.INITIAL_LOG_LOGIT_SCALE

  fun clip(a: Arr, b: Arr, logScale: Float, loss: ClipLoss = ClipLoss.create()) =
    Tf.eagerOn(listOf(a, b, scalar(logScale))) { tf, (x, y, s) -> loss.call(tf, x, y, s) }

  test("matches the reference at CLIP's initial scale 1/0.07") {
    (clip(img, txt, initial)[0] near SoftmaxRefs.clip(img, txt, initial.toDouble()).average()) shouldBe true
    val none = clip(img, txt, initial, ClipLoss.create().withReduction(Reduction.NONE))
    none.shouldMatch(SoftmaxRefs.clip(img, txt, initial.toDouble()), "per pair")
  }

  test("the scale is clamped at 100 and gets no gradient above it") {
    val at100 = clip(img, txt, kotlin.math.ln(100f))[0]
    clip(img, txt, 10f)[0] shouldBe at100
    at100.shouldBe(SoftmaxRefs.clip(img, txt, 10.0).average().toFloat() plusOrMinus 1e-5f * at100)
    val g = Tf.gradients(listOf(img, txt, scalar(10f))) { tf, (x, y, s) -> ClipLoss.create().call(tf, x, y, s) }
    g[2][0] shouldBe 0f
  }

  test("withMaxLogitScale moves the clamp: below it the scale is exp(log scale) and learns, above it neither") {
    val capped = ClipLoss.create().withMaxLogitScale(20f)
    capped.maxLogitScale() shouldBe 20f
    // log scale 2.3: scale 9.97, under the cap of 20 (gradient to the log scale by finite differences);
    // 3.5: exp gives 33.1, clamped to 20 (the finite difference of the clamped reference is 0)
    for (logScale in listOf(2.3f, 3.5f)) {
      Tf.checkGradients(listOf(img, txt, scalar(logScale)), reference = { (x, y, s) ->
        SoftmaxRefs.clip(x, y, s.at(0), maxScale = 20.0).average()
      }) { tf, (x, y, s) -> capped.call(tf, x, y, s) }
    }
    Tf.gradients(listOf(img, txt, scalar(3.5f))) { tf, (x, y, s) -> capped.call(tf, x, y, s) }[2][0] shouldBe 0f
    // the cap only: at 3.5 the default cap of 100 leaves the scale at 33.1, a different loss
    val atCap = clip(img, txt, 3.5f, capped)[0]
    val uncapped = clip(img, txt, 3.5f)[0]
    (atCap near SoftmaxRefs.clip(img, txt, kotlin.math.ln(20.0)).average()) shouldBe true
    (uncapped near SoftmaxRefs.clip(img, txt, 3.5).average()) shouldBe true
    // the copy keeps the other options: chunked and summed, it still clamps at 20
    val chunkedSum = Tf.graphLoss(listOf(img, txt, scalar(3.5f))) { tf, (x, y, s) ->
      ClipLoss.create().withChunkRows(3).withReduction(Reduction.SUM).withMaxLogitScale(20f).call(tf, x, y, s)
    }
    (chunkedSum near SoftmaxRefs.clip(img, txt, 3.5, maxScale = 20.0).sum()) shouldBe true
  }

  test("property: symmetric in its two inputs") {
    checkAll(20, Arb.long(), Arb.float(0f..4.6f, includeNaNs = false)) { seed, s ->
      val r = kotlin.random.Random(seed)
      val a = randomMat(r, 3, 4)
      val b = randomMat(r, 3, 4)
      val ab = clip(a, b, s)[0]
      val ba = clip(b, a, s)[0]
      (abs(ab - ba) <= 1e-5f * maxOf(1f, abs(ab))) shouldBe true
    }
  }

  test("gradients match finite differences of the plain-double reference, including the log scale") {
    val cases = listOf(
      Triple(1f, Distances.cosine(), SoftmaxRefs.Sim.cosine),
      Triple(initial, Distances.cosine(), SoftmaxRefs.Sim.cosine),
      Triple(0.5f, Distances.dot(), SoftmaxRefs.Sim.dot),
      Triple(0.5f, Distances.squaredEuclidean(), SoftmaxRefs.Sim.negSquaredEuclidean),
    )
    for ((logScale, distance, sim) in cases) {
      Tf.checkGradients(listOf(img, txt, scalar(logScale)), reference = { (x, y, s) ->
        SoftmaxRefs.clip(x, y, s.at(0), sim = sim).average()
      }) { tf, (x, y, s) -> ClipLoss.create().withDistance(distance).call(tf, x, y, s) }
    }
  }

  test("gradients at zero vectors have their hand-derived values") {
    // image = text = [0; e2], scale s = 1/0.07: logits [[0, 0], [0, s]]. Pair 0's two directions
    // are ln 2 each, pair 1's ln(1 + e^-s). d/dlogits (mean of 2 pairs, half of each direction):
    // (0,0): -1/4, (0,1) and (1,0): about 1/8, (1,1): about 0. dImage_0 = s (1/8) Text_1 = (s/8) e2,
    // which the zero row's guard multiplies by 1e6; row 1 gets a multiple of e2, orthogonal to the
    // unit vector's gradient: 0. The text side mirrors it. d/dlogScale = s dL/ds =
    // -(1/2) s (1 - sigmoid(s)): about -4.4e-6.
    val zeros = mat(f(0, 0), f(0, 1))
    val s = kotlin.math.exp(initial.toDouble())
    val g = Tf.gradients(listOf(zeros, zeros.copy(), scalar(initial))) { tf, (x, y, ls) -> ClipLoss.create().call(tf, x, y, ls) }
    g[0].shouldMatch(listOf(0.0, s / 8 * 1e6, 0.0, 0.0), "d/dimage", atol = 1e-3)
    g[1].shouldMatch(listOf(0.0, s / 8 * 1e6, 0.0, 0.0), "d/dtext", atol = 1e-3)
    // 1 - sigmoid(s) = 6e-7 is computed as softmax - 1 in float32, whose spacing below 1 is 6e-8:
    // each direction is off by up to that, times s/4
    g[2].shouldMatch(listOf(-0.5 * s / (1 + kotlin.math.exp(s))), "d/dlogLogitScale", rtol = 0.0, atol = s / 2 * 6e-8)
    clip(zeros, zeros.copy(), initial).shouldMatch(listOf((kotlin.math.ln(2.0) + kotlin.math.ln(1 + kotlin.math.exp(-s))) / 2), "loss")
  }

  test("bad input") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.constant(tf, img), Tf.constant(tf, txt), tf.constant(f(1, 2)))
      }.message.let { it shouldContain "'logLogitScale'"; it shouldContain "scalar"; it shouldContain "[2]" }
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.constant(tf, img), Tf.constant(tf, randomMat(rnd, 4, 3)), tf.constant(1f))
      }.message.let { it shouldContain "[4, 5]"; it shouldContain "[4, 3]" }
      tf.constant(0f)
    }
    shouldThrow<IllegalArgumentException> { ClipLoss.create().withMaxLogitScale(0f) }.message.let { it shouldContain "maxLogitScale"; it shouldContain "0.0" }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 3, 5), Tf.placeholder(tf))
      }.message.let { it shouldContain "'textFeatures'"; it shouldContain "[4, 5]"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 4, 5), Tf.placeholder(tf, 1))
      }.message.let { it shouldContain "'logLogitScale'"; it shouldContain "[1]" }
      ClipLoss.create().call(tf, Tf.placeholder(tf, -1, 5), Tf.placeholder(tf, -1, 5), Tf.placeholder(tf))
    }
  }
})
