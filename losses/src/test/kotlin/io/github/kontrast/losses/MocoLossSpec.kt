package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
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

  test("keys get no gradient; queries match finite differences of the reference at t = 0.2 and 0.01") {
    Tf.connected(listOf(q1, k1)) { tf, (q, k) -> MocoLoss.create().call(tf, q, k) } shouldBe listOf(true, false)
    Tf.connected(listOf(q1, q2, k1, k2)) { tf, (a, b, c, d) -> MocoLoss.create().callSymmetric(tf, a, b, c, d) } shouldBe
      listOf(true, true, false, false)
    for (t in listOf(0.2, 0.01)) {
      // the keys of the same batch at t = 0.01: the diagonal is a logit of 100
      for (keys in listOf(k1, q1)) {
        Tf.checkGradients(listOf(q1), reference = { (q) -> SoftmaxRefs.inBatch(q, keys, t, true).average() }) { tf, (q) ->
          MocoLoss.create().withTemperature(t.toFloat()).call(tf, q, Tf.constant(tf, keys))
        }
      }
    }
    Tf.checkGradients(listOf(q1, q2), reference = { (a, b) ->
      (SoftmaxRefs.inBatch(a, k2, 0.2, true).average() + SoftmaxRefs.inBatch(b, k1, 0.2, true).average()) / 2 * 0.4
    }) { tf, (a, b) -> MocoLoss.create().withTwoTemperatureScaling(true).callSymmetric(tf, a, b, Tf.constant(tf, k1), Tf.constant(tf, k2)) }
  }

  test("takes a similarity: dot product and negative squared Euclidean, values and gradients") {
  val similarities = listOf(
    Distances.dot() to SoftmaxRefs.Sim.dot,
    Distances.squaredEuclidean() to SoftmaxRefs.Sim.negSquaredEuclidean,
  )
    for ((distance, sim) in similarities) {
      val got = Tf.eagerOn(listOf(q1, k2)) { tf, (q, k) -> MocoLoss.create().withDistance(distance).withReduction(Reduction.NONE).call(tf, q, k) }
      got.shouldMatch(SoftmaxRefs.inBatch(q1, k2, 0.2, sim), distance.name())
      Tf.checkGradients(listOf(q1), reference = { (q) -> SoftmaxRefs.inBatch(q, k2, 0.2, sim).average() }) { tf, (q) ->
        MocoLoss.create().withDistance(distance).call(tf, q, Tf.constant(tf, k2))
      }
    }
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { MocoLoss.create().withTemperature(0f) }.message.let { it shouldContain "temperature"; it shouldContain "0.0" }
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().call(tf, Tf.constant(tf, q1), Tf.constant(tf, randomMat(rnd, 3, 3)))
      }.message.let { it shouldContain "'k'"; it shouldContain "[3, 3]"; it shouldContain "[4, 3]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().callSymmetric(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 5, 3), Tf.placeholder(tf, 5, 3), Tf.placeholder(tf, 4, 3))
      }.message.let { it shouldContain "'q1'"; it shouldContain "'q2'"; it shouldContain "[4, 3]"; it shouldContain "[5, 3]" }
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().callSymmetric(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 2))
      }.message.let { it shouldContain "'q1'"; it shouldContain "'k2'"; it shouldContain "[4, 3]"; it shouldContain "[4, 2]" }
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().callSymmetric(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 6, 3), Tf.placeholder(tf, 4, 3))
      }.message.let { it shouldContain "'q2'"; it shouldContain "'k1'"; it shouldContain "[4, 3]"; it shouldContain "[6, 3]" }
      shouldThrow<IllegalArgumentException> {
        MocoLoss.create().call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 2))
      }.message.let { it shouldContain "'k'"; it shouldContain "[4, 2]" }
      MocoLoss.create().callSymmetric(tf, Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1, 3))
    }
  }
})
