package io.github.kontrast.dsl.metrics

import io.github.kontrast.dsl.data.FloatHostArray
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TBool
import org.tensorflow.types.TFloat32

/**
 * The one rule that calls a pair similar: its distance is below [threshold], or, when the value
 * is a similarity ([higherIsSimilar], e.g. cosine), above it. The pair-accuracy metric applies it
 * in the graph and `predictSimilar` on the host, so the two always agree.
 */
class PairDecision @JvmOverloads constructor(val threshold: Float, val higherIsSimilar: Boolean = false) {
  init {
    require(threshold.isFinite()) { "threshold must be finite, got $threshold" }
  }

  /** Whether a pair with distance (or similarity) [value] is similar. */
  fun isSimilar(value: Float): Boolean = if (higherIsSimilar) value > threshold else value < threshold

  /** The decision for every value of [values], on the host. */
  fun similar(values: FloatHostArray): BooleanArray = BooleanArray(values.data.size) { isSimilar(values.data[it]) }

  /** The decision for every value of [values], as graph ops. */
  fun similar(tf: Ops, values: Operand<TFloat32>): Operand<TBool> {
    val t = tf.constant(threshold)
    return if (higherIsSimilar) tf.math.greater(values, t) else tf.math.less(values, t)
  }

  override fun toString(): String = "similar when ${if (higherIsSimilar) "similarity >" else "distance <"} $threshold"
}
