package io.github.kontrast.dsl.metrics

import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/** Metrics on pairs: accuracy at a distance threshold and the mean distances of each kind. */
object PairMetrics {
  /**
   * The fraction of pairs classified right by [PairDecision]: "similar" means distance <
   * [threshold] (similarity > threshold when the distance is a similarity). With threshold 0.5
   * and label 1 = similar it equals Keras' binary_accuracy(y, 1 - d), document 001's metric.
   */
  @JvmStatic @JvmOverloads
  fun pairAccuracy(threshold: Float = 0.5f, name: String = "pair_accuracy"): Metric<PairOutputs> = object : Metric<PairOutputs> {
    override val name = name

    override fun build(tf: Ops, outputs: PairOutputs): MetricTensors {
      val decision = PairDecision(threshold, outputs.higherIsSimilar)
      val predicted = tf.dtypes.cast(decision.similar(tf, outputs.distance), TFloat32::class.java)
      val correct = tf.dtypes.cast(tf.math.equal(predicted, outputs.similar), TFloat32::class.java)
      return MetricTensors(tf.sum(correct, tf.constant(0)), tf.dtypes.cast(tf.size(correct), TFloat32::class.java))
    }
  }

  /** Mean distance over the similar pairs. */
  @JvmStatic @JvmOverloads
  fun meanPositiveDistance(name: String = "mean_positive_distance"): Metric<PairOutputs> = meanOver(name, similar = true)

  /** Mean distance over the dissimilar pairs. */
  @JvmStatic @JvmOverloads
  fun meanNegativeDistance(name: String = "mean_negative_distance"): Metric<PairOutputs> = meanOver(name, similar = false)

  private fun meanOver(name: String, similar: Boolean): Metric<PairOutputs> = object : Metric<PairOutputs> {
    override val name = name

    override fun build(tf: Ops, outputs: PairOutputs): MetricTensors {
      val mask = if (similar) outputs.similar else tf.math.sub(tf.constant(1f), outputs.similar)
      return MetricTensors(tf.sum(tf.math.mul(outputs.distance, mask), tf.constant(0)), tf.sum(mask, tf.constant(0)))
    }
  }
}
