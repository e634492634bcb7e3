package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * What [Conv2D] and [Conv2DTranspose] share: filters, a kernel and strides (each checked > 0),
 * padding, an optional bias per filter, an activation, and the initialisers; both compute in a
 * reduced precision when the model does. A subclass gives its kernel's layout and the convolution
 * itself; the bias and the activation are added here.
 *
 * @property filters output channels, one kernel each.
 * @property kernelHeight the kernel's height in pixels.
 * @property kernelWidth the kernel's width in pixels.
 * @property strideHeight the vertical step between windows (a transposed convolution: between the patches of neighbouring input pixels).
 * @property strideWidth the horizontal step.
 * @property padding [Padding.VALID] or [Padding.SAME]; what it does to the output size is the subclass's rule.
 * @property activation applied to the output.
 * @property useBias whether a learned bias per filter is added.
 * @property kernelInitializer starting values of the kernel.
 * @property biasInitializer starting values of the bias.
 */
abstract class Convolution internal constructor(
  val filters: Int,
  val kernelHeight: Int,
  val kernelWidth: Int,
  val strideHeight: Int,
  val strideWidth: Int,
  val padding: Padding,
  val activation: Activation,
  val useBias: Boolean,
  val kernelInitializer: Initializer,
  val biasInitializer: Initializer,
  name: String?,
) : Layer(name) {
  init {
    require(filters > 0) { "filters must be > 0, got $filters" }
    require(kernelHeight > 0 && kernelWidth > 0) { "kernel size must be > 0, got ${kernelHeight}x$kernelWidth" }
    require(strideHeight > 0 && strideWidth > 0) { "strides must be > 0, got ${strideHeight}x$strideWidth" }
  }

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  /** The kernel's shape for [inChannels] input channels (the layouts differ: Keras' for each layer). */
  protected abstract fun kernelShape(inChannels: Int): IntArray

  /** The convolution of [x] with [kernel], before the bias and the activation. */
  protected abstract fun convolve(ctx: ForwardContext, x: Operand<*>, kernel: Operand<TFloat32>): Operand<TFloat32>

  final override fun parameters(input: IntArray): List<ParamSpec> {
    requireRank(input, 3, "[height, width, channels]")
    val kernel = ParamSpec("kernel", kernelShape(input[2]), kernelInitializer)
    return if (useBias) listOf(kernel, ParamSpec("bias", intArrayOf(filters), biasInitializer)) else listOf(kernel)
  }

  final override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    var y = convolve(ctx, x, params.getValue("kernel"))
    if (useBias) y = ctx.tf.nn.biasAdd(y, params.getValue("bias"))
    return activation.apply(ctx.tf, y)
  }

  /** The strides of an NHWC convolution op. */
  protected fun strides(): List<Long> = listOf(1L, strideHeight.toLong(), strideWidth.toLong(), 1L)
}
