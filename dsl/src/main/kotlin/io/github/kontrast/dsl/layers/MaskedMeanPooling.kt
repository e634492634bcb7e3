package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * The mean over the tokens of a sequence, padding left out: `[L, D]` -> `[D]`,
 * y = sum_i mask_i x_i / max(1, sum_i mask_i). A text of padding only (an empty caption) gives
 * zeros rather than a division by zero.
 */
class MaskedMeanPooling @JvmOverloads constructor(name: String? = null) : MaskedLayer(name) {
  override val typeName get() = "MaskedMeanPooling"
  override val kerasName get() = "masked_mean_pooling"

  override fun outputShape(input: IntArray): IntArray {
    requireSequence(input)
    return intArrayOf(input[1])
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, mask: Operand<TFloat32>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val m = tf.expandDims(tf.stopGradient(mask), tf.constant(-1)) // [N, L, 1]
    val sum = tf.sum(tf.math.mul(input, m), tf.constant(1)) // [N, D]
    val count = tf.math.maximum(tf.sum(m, tf.constant(1)), tf.constant(1f)) // [N, 1]
    return tf.math.div(sum, count)
  }
}
