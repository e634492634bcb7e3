package io.github.kontrast.dsl.metrics

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * Pair metrics on fixed distances: d = (0.2, 0.7, 0.4, 0.9, 0.1), similar = (1, 1, 0, 0, 1).
 * Threshold 0.5 predicts similar for (0.2, 0.4, 0.1): right for pairs 0, 3, 4 -> accuracy 3/5.
 * Mean positive distance (0.2 + 0.7 + 0.1) / 3; mean negative (0.4 + 0.9) / 2. Evaluated in
 * batches of 2 (2 + 2 + 1 pairs), the values must be those of the whole set.
 */
class PairMetricsSpec : FunSpec({
  fun evaluate(d: FloatArray, s: FloatArray, vararg metrics: Metric<PairOutputs>, similarity: Boolean = false): Map<String, Double> {
    val g = GraphBuilder(0)
    val dist = g.floatInput("d", IntArray(0))
    val sim = g.floatInput("s", IntArray(0))
    val outputs = PairOutputs(dist, sim, similarity)
    val loss = g.tf.math.mean(dist, g.tf.constant(0))
    g.compile(loss, metrics.associate { it.name to it.build(g.tf, outputs) }).use { compiled ->
      Trainer(compiled).use { t ->
        return t.evaluate(ArrayDataset(mapOf("d" to FloatHostArray(d, intArrayOf(d.size)), "s" to FloatHostArray(s, intArrayOf(s.size)))), 2)
      }
    }
  }

  val d = floatArrayOf(0.2f, 0.7f, 0.4f, 0.9f, 0.1f)
  val s = floatArrayOf(1f, 1f, 0f, 0f, 1f)

  test("pair accuracy at 0.5 and the mean distances of each kind") {
    val m = evaluate(d, s, PairMetrics.pairAccuracy(0.5f), PairMetrics.meanPositiveDistance(), PairMetrics.meanNegativeDistance())
    m.getValue("pair_accuracy") shouldBe (0.6 plusOrMinus 1e-9)
    m.getValue("mean_positive_distance") shouldBe ((0.2 + 0.7 + 0.1) / 3 plusOrMinus 1e-6)
    m.getValue("mean_negative_distance") shouldBe (1.3 / 2 plusOrMinus 1e-6)
    m.getValue("loss") shouldBe (2.3 / 5 plusOrMinus 1e-6)
  }

  test("document 001's accuracy equals Keras' binary_accuracy(y, 1 - d)") {
    // binary_accuracy rounds at 0.5: (1 - d) > 0.5 <=> d < 0.5
    val keras = d.indices.count { ((1 - d[it]) > 0.5f) == (s[it] == 1f) } / d.size.toDouble()
    evaluate(d, s, PairMetrics.pairAccuracy()).getValue("pair_accuracy") shouldBe (keras plusOrMinus 1e-9)
  }

  test("for a similarity, high values mean similar") {
    // similarity 0.9 and 0.7 above 0.5 -> predicted similar for pairs 1 and 3: right for 1, 2 -> 2/5
    evaluate(d, s, PairMetrics.pairAccuracy(0.5f), similarity = true).getValue("pair_accuracy") shouldBe (0.4 plusOrMinus 1e-9)
  }

  test("a kind absent from the data gives NaN, not a division by zero") {
    evaluate(d, FloatArray(5) { 1f }, PairMetrics.meanNegativeDistance()).getValue("mean_negative_distance").isNaN() shouldBe true
  }
  test("PairDecision: one rule on the host and in the graph, flipped for a similarity") {
    val distance = PairDecision(0.5f)
    distance.similar(FloatHostArray(d, intArrayOf(5))).toList() shouldBe listOf(true, false, true, false, true)
    distance.isSimilar(0.5f) shouldBe false // strictly below
    val similarity = PairDecision(0.5f, higherIsSimilar = true)
    similarity.similar(FloatHostArray(d, intArrayOf(5))).toList() shouldBe listOf(false, true, false, true, false)
    // the graph form gives the same booleans
    org.tensorflow.EagerSession.create().use { session ->
      val tf = org.tensorflow.op.Ops.create(session)
      for (rule in listOf(distance, similarity)) {
        val t = rule.similar(tf, tf.constant(d)).asTensor()
        BooleanArray(5) { t.getBoolean(it.toLong()) }.toList() shouldBe rule.similar(FloatHostArray(d, intArrayOf(5))).toList()
      }
    }
    io.kotest.assertions.throwables.shouldThrow<IllegalArgumentException> { PairDecision(Float.NaN) }.message shouldContain "threshold"
  }
})
