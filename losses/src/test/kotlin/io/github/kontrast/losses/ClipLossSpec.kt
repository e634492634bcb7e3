package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
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
    none.toList().zip(SoftmaxRefs.clip(img, txt, initial.toDouble())).forEach { (a, e) -> (a near e) shouldBe true }
  }

  test("the scale is clamped at 100 and gets no gradient above it") {
    val at100 = clip(img, txt, kotlin.math.ln(100f))[0]
    clip(img, txt, 10f)[0] shouldBe at100
    val g = Tf.gradients(listOf(img, txt, scalar(10f))) { tf, (x, y, s) -> ClipLoss.create().call(tf, x, y, s) }
    g[2][0] shouldBe 0f
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

  test("gradients match finite differences, including the log scale; finite at zero vectors") {
    Tf.checkGradients(listOf(img, txt, scalar(1f))) { tf, (x, y, s) -> ClipLoss.create().call(tf, x, y, s) }
    Tf.checkGradients(listOf(img, txt, scalar(0.5f))) { tf, (x, y, s) -> ClipLoss.create().withNormalize(false).call(tf, x, y, s) }
    val zeros = mat(f(0, 0), f(0, 1))
    Tf.gradients(listOf(zeros, zeros.copy(), scalar(initial))) { tf, (x, y, s) -> ClipLoss.create().call(tf, x, y, s) }
      .forEach { it.shouldBeFinite("CLIP gradient") }
  }

  test("bad input") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.constant(tf, img), Tf.constant(tf, txt), tf.constant(f(1, 2)))
      }.message.let { it shouldContain "'logLogitScale'"; it shouldContain "[2]" }
      shouldThrow<IllegalArgumentException> {
        ClipLoss.create().call(tf, Tf.constant(tf, img), Tf.constant(tf, randomMat(rnd, 4, 3)), tf.constant(1f))
      }.message.let { it shouldContain "[4, 5]"; it shouldContain "[4, 3]" }
      tf.constant(0f)
    }
    shouldThrow<IllegalArgumentException> { ClipLoss.create().withMaxLogitScale(0f) }.message shouldContain "maxLogitScale"
  }
})
