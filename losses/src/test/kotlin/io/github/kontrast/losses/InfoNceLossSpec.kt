package io.github.kontrast.losses

import io.github.kontrast.losses.reducers.Reduction

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.ln
import kotlin.math.sqrt

class InfoNceLossSpec : FunSpec({
  val rnd = kotlin.random.Random(5)
  val q = randomMat(rnd, 3, 4)
  val k = randomMat(rnd, 3, 4)
  val negs = Arr(longArrayOf(3, 2, 4), FloatArray(24) { rnd.nextFloat() * 2 - 1 })

  fun explicitRef(normalize: Boolean, t: Double, qa: Host = q, ka: Host = k, na: Host = negs): List<Double> = (0 until 3).map { i ->
    fun n(x: DoubleArray) = if (normalize) Ref.normalize(x) else x
    val qi = n(qa.row(i))
    val negRows = (0 until 2).map { j -> n(DoubleArray(4) { d -> na.at((i * 2 + j) * 4 + d) }) }
    val logits = doubleArrayOf(Ref.dot(qi, n(ka.row(i))) / t) + negRows.map { Ref.dot(qi, it) / t }
    Ref.crossEntropy(logits, 0)
  }

  test("explicit negatives [B,K,D]: document 004's info_nce_loss (raw vectors) and the normalised default") {
    for (normalize in listOf(false, true)) {
      val got = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) ->
        InfoNceLoss.create().withNormalize(normalize).withTemperature(0.5f).withReduction(Reduction.NONE).call(tf, a, b, c)
      }
      got.shouldMatch(explicitRef(normalize, 0.5), "normalize=$normalize")
    }
    val mean = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) -> InfoNceLoss.create().call(tf, a, b, c) }[0]
    (mean near explicitRef(true, 0.07).average()) shouldBe true
  }

  test("in-batch negatives") {
    val got = Tf.eagerOn(listOf(q, k)) { tf, (a, b) -> InfoNceLoss.create().withReduction(Reduction.NONE).call(tf, a, b) }
    got.shouldMatch(SoftmaxRefs.inBatch(q, k, 0.07, true), "in-batch")
  }

  test("gradients match finite differences of the plain-double references, at t = 0.5, 0.07 and 0.01") {
    for (t in listOf(0.5f, 0.07f, 0.01f)) for (normalize in listOf(true, false)) {
      // raw vectors at t = 0.01 give logits of several hundred: one-hot softmax, zero gradient
      if (!normalize && t < 0.07f) continue
      Tf.checkGradients(listOf(q, k, negs), reference = { (a, b, c) -> explicitRef(normalize, t.toDouble(), a, b, c).average() }) { tf, (a, b, c) ->
        InfoNceLoss.create().withTemperature(t).withNormalize(normalize).call(tf, a, b, c)
      }
      Tf.checkGradients(listOf(q, k), reference = { (a, b) -> SoftmaxRefs.inBatch(a, b, t.toDouble(), normalize).average() }) { tf, (a, b) ->
        InfoNceLoss.create().withTemperature(t).withNormalize(normalize).call(tf, a, b)
      }
    }
  }

  test("gradients at t = 0.01 with a zero row have their hand-derived values") {
    // q = k = [0; (1,1)]: normalised [0; n], n = (1,1)/sqrt(2); logits [[0, 0], [0, 100]]. Row 0's
    // cross-entropy is ln 2 with d/dlogits (-1/2, 1/2), halved by the mean; row 1's is about e^-100.
    // dL/dQ0 = (1/4) K1 / t = 25 n, and the zero row passes it times the guard's 1e6; everything
    // else is 0 (Q0 = 0 in dL/dK, and row 1 is saturated).
    val zeros = mat(f(0, 0), f(1, 1))
    val g = Tf.gradients(listOf(zeros, zeros.copy())) { tf, (a, b) -> InfoNceLoss.create().withTemperature(0.01f).call(tf, a, b) }
    val big = 25 / sqrt(2.0) * 1e6
    g[0].shouldMatch(listOf(big, big, 0.0, 0.0), "d/dquery", atol = 1e-6)
    g[1].shouldMatch(listOf(0.0, 0.0, 0.0, 0.0), "d/dkey", atol = 1e-6)
    val v = Tf.eagerOn(listOf(zeros, zeros.copy())) { tf, (a, b) -> InfoNceLoss.create().withTemperature(0.01f).withReduction(Reduction.NONE).call(tf, a, b) }
    v.shouldMatch(listOf(ln(2.0), 0.0), "per query")
  }

  test("bad input: temperature, shapes") {
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withTemperature(0f) }.message.let { it shouldContain "temperature"; it shouldContain "0.0" }
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withTemperature(Float.POSITIVE_INFINITY) }.message.let { it shouldContain "temperature"; it shouldContain "Infinity" }
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withTemperature(-1f) }.message shouldContain "-1.0"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, k))
      }.message.let { it shouldContain "'negativeKeys'"; it shouldContain "rank 3"; it shouldContain "[3, 4]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, Arr(longArrayOf(3, 2, 5), FloatArray(30))))
      }.message.let { it shouldContain "embedding sizes"; it shouldContain "[3, 2, 5]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, Arr(longArrayOf(3, 0, 4), FloatArray(0))))
      }.message.let { it shouldContain "no negatives"; it shouldContain "[3, 0, 4]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 5, 4))
      }.message.let { it shouldContain "batch sizes"; it shouldContain "[3, 4]"; it shouldContain "[2, 5, 4]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5))
      }.message.let { it shouldContain "'positiveKey'"; it shouldContain "[3, 4]"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 0, 4), Tf.placeholder(tf, 0, 4))
      }.message.let { it shouldContain "empty"; it shouldContain "[0, 4]" }
      InfoNceLoss.create().call(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 7, 4))
    }
  }
})
