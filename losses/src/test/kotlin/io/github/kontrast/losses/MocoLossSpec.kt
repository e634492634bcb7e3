package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class MocoLossSpec : FunSpec({
  val rnd = kotlin.random.Random(13)
  val q1 = randomMat(rnd, 4, 3)
  val q2 = randomMat(rnd, 4, 3)
  val k1 = randomMat(rnd, 4, 3)
  val k2 = randomMat(rnd, 4, 3)

  test("matches the reference; symmetric form; 2t scaling") {
    val one = Tf.eagerOn(listOf(q1, k2)) { tf, (q, k) -> MocoLoss.create().call(tf, q, k) }[0]
    (one near SoftmaxRefs.inBatch(q1, k2, 0.2, true).average()) shouldBe true
    val sym = Tf.eagerOn(listOf(q1, q2, k1, k2)) { tf, (a, b, c, d) -> MocoLoss.create().callSymmetric(tf, a, b, c, d) }[0]
    (sym near (SoftmaxRefs.inBatch(q1, k2, 0.2, true).average() + SoftmaxRefs.inBatch(q2, k1, 0.2, true).average()) / 2) shouldBe true
    val scaled = Tf.eagerOn(listOf(q1, k2)) { tf, (q, k) -> MocoLoss.create().withTwoTemperatureScaling(true).call(tf, q, k) }[0]
    (scaled near one * 0.4) shouldBe true
  }

  test("keys get no gradient; queries match finite differences; finite at t = 0.01") {
    val g = Tf.gradients(listOf(q1, k1)) { tf, (q, k) -> MocoLoss.create().call(tf, q, k) }
    g[1].all { it == 0f } shouldBe true
    Tf.checkGradients(listOf(q1)) { tf, (q) -> MocoLoss.create().call(tf, q, Tf.constant(tf, k1)) }
    Tf.gradients(listOf(q1, q1.copy())) { tf, (q, k) -> MocoLoss.create().withTemperature(0.01f).call(tf, q, k) }
      .forEach { it.shouldBeFinite("MoCo gradient") }
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { MocoLoss.create().withTemperature(0f) }.message shouldContain "temperature"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().call(tf, Tf.constant(tf, q1), Tf.constant(tf, randomMat(rnd, 3, 3)))
      }.message.let { it shouldContain "'k'"; it shouldContain "[3, 3]" }
      tf.constant(0f)
    }
  }
})
