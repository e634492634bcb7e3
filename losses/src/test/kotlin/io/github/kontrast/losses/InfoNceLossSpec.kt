package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.sqrt

class InfoNceLossSpec : FunSpec({
  val rnd = kotlin.random.Random(5)
  val q = randomMat(rnd, 3, 4)
  val k = randomMat(rnd, 3, 4)
  val negs = Arr(longArrayOf(3, 2, 4), FloatArray(24) { rnd.nextFloat() * 2 - 1 })

  val similarities = listOf(
    Distances.cosine() to SoftmaxRefs.Sim.cosine,
    Distances.dot() to SoftmaxRefs.Sim.dot,
    Distances.squaredEuclidean() to SoftmaxRefs.Sim.negSquaredEuclidean,
  )

  fun explicitRef(sim: (DoubleArray, DoubleArray) -> Double, t: Double, qa: Host = q, ka: Host = k, na: Host = negs): List<Double> = (0 until 3).map { i ->
    val qi = qa.row(i)
    val negRows = (0 until 2).map { j -> DoubleArray(4) { d -> na.at((i * 2 + j) * 4 + d) } }
    val logits = doubleArrayOf(sim(qi, ka.row(i)) / t) + negRows.map { sim(qi, it) / t }
    Ref.crossEntropy(logits, 0)
  }

  test("explicit negatives [B,K,D]: document 004's info_nce_loss (raw vectors: dot), the cosine default, negative squared Euclidean") {
    for ((distance, sim) in similarities) {
      val got = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) ->
        InfoNceLoss.create().withDistance(distance).withTemperature(0.5f).withReduction(Reduction.NONE).call(tf, a, b, c)
      }
      got.shouldMatch(explicitRef(sim, 0.5), distance.name())
    }
    val mean = Tf.eagerOn(listOf(q, k, negs)) { tf, (a, b, c) -> InfoNceLoss.create().call(tf, a, b, c) }[0]
    (mean near explicitRef(SoftmaxRefs.Sim.cosine, 0.07).average()) shouldBe true
    // hand check, D = 1 raw: q = 1, k = 2, negatives 0 and -1 at t = 1: -log(e^2 / (e^2 + e^0 + e^-1))
    val one = Tf.eager { tf ->
      InfoNceLoss.create().withDistance(Distances.dot()).withTemperature(1f)
        .call(tf, tf.constant(arrayOf(f(1))), tf.constant(arrayOf(f(2))), tf.constant(arrayOf(arrayOf(f(0), f(-1)))))
    }
    one.shouldMatch(listOf(-ln(exp(2.0) / (exp(2.0) + 1 + exp(-1.0)))), "hand-derived")
  }

  test("in-batch negatives") {
    for ((distance, sim) in similarities) {
      val got = Tf.eagerOn(listOf(q, k)) { tf, (a, b) -> InfoNceLoss.create().withDistance(distance).withReduction(Reduction.NONE).call(tf, a, b) }
      got.shouldMatch(SoftmaxRefs.inBatch(q, k, 0.07, sim), "in-batch ${distance.name()}")
    }
  }

  test("gradients match finite differences of the plain-double references, at t = 0.5, 0.07 and 0.01") {
    for (t in listOf(0.5f, 0.07f, 0.01f)) for ((distance, sim) in similarities) {
      // raw vectors at t = 0.01 give logits of several hundred: one-hot softmax, zero gradient
      if (distance != Distances.cosine() && t < 0.07f) continue
      Tf.checkGradients(listOf(q, k, negs), reference = { (a, b, c) -> explicitRef(sim, t.toDouble(), a, b, c).average() }) { tf, (a, b, c) ->
        InfoNceLoss.create().withTemperature(t).withDistance(distance).call(tf, a, b, c)
      }
      Tf.checkGradients(listOf(q, k), reference = { (a, b) -> SoftmaxRefs.inBatch(a, b, t.toDouble(), sim).average() }) { tf, (a, b) ->
        InfoNceLoss.create().withTemperature(t).withDistance(distance).call(tf, a, b)
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
      }.message.let { it shouldContain "embedding sizes"; it shouldContain "'query'"; it shouldContain "'negativeKeys'"; it shouldContain "[3, 4]"; it shouldContain "[3, 2, 5]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.constant(tf, q), Tf.constant(tf, k), Tf.constant(tf, Arr(longArrayOf(3, 0, 4), FloatArray(0))))
      }.message.let { it shouldContain "no negatives"; it shouldContain "[3, 0, 4]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 5, 4))
      }.message.let { it shouldContain "batch sizes"; it shouldContain "'query'"; it shouldContain "'negativeKeys'"; it shouldContain "[3, 4]"; it shouldContain "[2, 5, 4]" }
      // the explicit-negatives form checks query against positiveKey too
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5), Tf.placeholder(tf, 3, 2, 4))
      }.message.let { it shouldContain "'query'"; it shouldContain "'positiveKey'"; it shouldContain "[3, 4]"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> {
        InfoNceLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4, 1), Tf.placeholder(tf, 3, 2, 4))
      }.message.let { it shouldContain "'positiveKey'"; it shouldContain "rank 2"; it shouldContain "[3, 4, 1]" }
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
