package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/** Average pooling over [height, width, channels]; strides default to the pool size, as in Keras. */
class AvgPool2D @JvmOverloads constructor(
  val poolHeight: Int,
  val poolWidth: Int = poolHeight,
  val strideHeight: Int = poolHeight,
  val strideWidth: Int = poolWidth,
  val padding: Padding = Padding.VALID,
  name: String? = null,
) : Layer(name) {
  init {
    require(poolHeight > 0 && poolWidth > 0) { "pool size must be > 0, got ${poolHeight}x$poolWidth" }
    require(strideHeight > 0 && strideWidth > 0) { "strides must be > 0, got ${strideHeight}x$strideWidth" }
  }

  override val typeName get() = "AveragePooling2D"
  override val kerasName get() = "average_pooling2d"

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    val h = windowOutput(input[0], poolHeight, strideHeight, padding)
    val w = windowOutput(input[1], poolWidth, strideWidth, padding)
    require(h > 0 && w > 0) { "$typeName pool ${poolHeight}x$poolWidth does not fit input ${input.contentToString()}" }
    return intArrayOf(h, w, input[2])
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> =
    ctx.tf.nn.avgPool(
      floats(ctx, x), listOf(1L, poolHeight.toLong(), poolWidth.toLong(), 1L),
      listOf(1L, strideHeight.toLong(), strideWidth.toLong(), 1L), padding.tfName,
    )
}
