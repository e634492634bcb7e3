package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/** Max pooling over [height, width, channels]; strides default to the pool size, as in Keras. */
class MaxPool2D @JvmOverloads constructor(
  poolHeight: Int,
  poolWidth: Int = poolHeight,
  strideHeight: Int = poolHeight,
  strideWidth: Int = poolWidth,
  padding: Padding = Padding.VALID,
  name: String? = null,
) : Pool2D(poolHeight, poolWidth, strideHeight, strideWidth, padding, name) {
  override val typeName get() = "MaxPooling2D"
  override val kerasName get() = "max_pooling2d"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    return tf.nn.maxPool(
      floats(ctx, x), tf.constant(windowSizes.map { it.toInt() }.toIntArray()),
      tf.constant(windowStrides.map { it.toInt() }.toIntArray()), padding.tfName,
    )
  }
}
