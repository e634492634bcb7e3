package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/** The mean over height and width: `[height, width, channels]` -> `[channels]`. */
class GlobalAveragePooling2D @JvmOverloads constructor(name: String? = null) : Layer(name) {
  override val typeName get() = "GlobalAveragePooling2D"
  override val kerasName get() = "global_average_pooling2d"

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    return intArrayOf(input[2])
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> =
    ctx.tf.math.mean(floats(ctx, x), ctx.tf.constant(intArrayOf(1, 2)))
}
