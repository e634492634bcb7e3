package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class InfoNceLossSpec : FunSpec({
  val rnd = kotlin.random.Random(5)
  val q = randomMat(rnd, 3, 4)
  val k = randomMat(rnd, 3, 4)
  val negs = Arr(longArrayOf(3, 2, 4), FloatArray(24) { rnd.nextFloat() * 2 - 1 })

  fun explicitRef(normalize: Boolean, t: Double): List<Double> = (0 until 3).map { i ->
    fun n(x: DoubleArray) = if (normalize) Ref.normalize(x) else x
    val qi = n(q.row(i))
    val negRows = (0 until 2).map { j -> n(DoubleArray(4) { d -> negs.data[(i * 2 + j) * 4 + d].toDouble() }) }
    val logits = doubleArrayOf(Ref.dot(qi, n(k.row(i))) / t) + negRows.map { Ref.dot(qi, it) / t }
    Ref.crossEntropy(logits, 0)
  }

  test("explicit negatives [B,K,D]: document 004's info_nce_loss (raw vectors) and the normalised default") {
    for (normalize in listOf(false, true)) {
      val got = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) ->
        InfoNceLoss.create().withNormalize(normalize).withTemperature(0.5f).withReduction(Reduction.NONE).call(tf, a, b, c)
      }
      got.toList().zip(explicitRef(normalize, 0.5)).forEach { (a, e) -> (a near e) shouldBe true }
    }
    val mean = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) -> InfoNceLoss.create().call(tf, a, b, c) }[0]
    (mean near explicitRef(true, 0.07).average()) shouldBe true
  }

  test("in-batch negatives") {
    val got = Tf.eagerOn(listOf(q, k)) { tf, (a, b) -> InfoNceLoss.create().withReduction(Reduction.NONE).call(tf, a, b) }
    got.toList().zip(SoftmaxRefs.inBatch(q, k, 0.07, true)).forEach { (a, e) -> (a near e) shouldBe true }
  }

  test("gradients match finite differences; finite at temperature 0.01 and zero vectors") {
    Tf.checkGradients(listOf(q, k, negs)) { tf, (a, b, c) -> InfoNceLoss.create().withTemperature(0.5f).call(tf, a, b, c) }
    Tf.checkGradients(listOf(q, k)) { tf, (a, b) -> InfoNceLoss.create().withTemperature(0.5f).call(tf, a, b) }
    val zeros = mat(f(0, 0), f(1, 1))
    Tf.gradients(listOf(zeros, zeros.copy())) { tf, (a, b) -> InfoNceLoss.create().withTemperature(0.01f).call(tf, a, b) }
      .forEach { it.shouldBeFinite("InfoNCE gradient at t = 0.01 with a zero row") }
  }

  test("bad input: temperature, shapes") {
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withTemperature(0f) }.message shouldContain "temperature"
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withTemperature(-1f) }.message shouldContain "-1.0"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, k))
      }.message.let { it shouldContain "'negativeKeys'"; it shouldContain "rank 3" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, Arr(longArrayOf(3, 2, 5), FloatArray(30))))
      }.message.let { it shouldContain "embedding sizes"; it shouldContain "[3, 2, 5]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, Arr(longArrayOf(3, 0, 4), FloatArray(0))))
      }.message shouldContain "no negatives"
      tf.constant(0f)
    }
  }
})
