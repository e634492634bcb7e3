package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.nn.Conv2d
import org.tensorflow.types.TFloat32

/**
 * 2D convolution over `[height, width, channels]` (NHWC), with a bias and an activation, as Keras' Conv2D.
 * The kernel is `[kernelHeight, kernelWidth, in, filters]`; the shared settings are [Convolution]'s.
 *
 * @param filters output channels, one kernel each.
 * @param kernelHeight the kernel's height in pixels.
 * @param kernelWidth the kernel's width in pixels; [kernelHeight] by default (a square kernel).
 * @param strideHeight the vertical step between windows; 1 by default.
 * @param strideWidth the horizontal step between windows; [strideHeight] by default.
 * @param padding [Padding.VALID] (the default, as Keras) keeps only whole windows; [Padding.SAME] pads to keep ceil(size / stride).
 * @param activation applied to the output; [Activations.linear] by default.
 * @param useBias whether a learned bias per filter is added; true by default.
 * @param kernelInitializer starting values of the kernel `[kernelHeight, kernelWidth, in, filters]`; Glorot uniform, as Keras.
 * @param biasInitializer starting values of the bias; zeros, as Keras.
 */
class Conv2D @JvmOverloads constructor(
  filters: Int,
  kernelHeight: Int,
  kernelWidth: Int = kernelHeight,
  strideHeight: Int = 1,
  strideWidth: Int = strideHeight,
  padding: Padding = Padding.VALID,
  activation: Activation = Activations.linear,
  useBias: Boolean = true,
  kernelInitializer: Initializer = Initializers.glorotUniform(),
  biasInitializer: Initializer = Initializers.zeros(),
  name: String? = null,
) : Convolution(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, activation, useBias, kernelInitializer, biasInitializer, name) {
  override val typeName get() = "Conv2D"
  override val kerasName get() = "conv2d"

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    val h = windowOutput(input[0], kernelHeight, strideHeight, padding)
    val w = windowOutput(input[1], kernelWidth, strideWidth, padding)
    require(h > 0 && w > 0) {
      "$typeName kernel ${kernelHeight}x$kernelWidth does not fit input ${input.contentToString()} with ${padding.name} padding"
    }
    return intArrayOf(h, w, filters)
  }

  override fun kernelShape(inChannels: Int): IntArray = intArrayOf(kernelHeight, kernelWidth, inChannels, filters)

  override fun convolve(ctx: ForwardContext, x: Operand<*>, kernel: Operand<TFloat32>): Operand<TFloat32> =
    ctx.tf.nn.conv2d(floats(ctx, x), kernel, strides(), padding.tfName, Conv2d.dataFormat("NHWC"))
}
