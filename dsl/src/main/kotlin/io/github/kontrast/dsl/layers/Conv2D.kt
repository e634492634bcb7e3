package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.nn.Conv2d
import org.tensorflow.types.TFloat32

/**
 * 2D convolution over `[height, width, channels]` (NHWC), with a bias and an activation, as Keras' Conv2D.
 *
 * @property filters output channels, one kernel each.
 * @property kernelHeight the kernel's height in pixels.
 * @property kernelWidth the kernel's width in pixels; [kernelHeight] by default (a square kernel).
 * @property strideHeight the vertical step between windows; 1 by default.
 * @property strideWidth the horizontal step between windows; [strideHeight] by default.
 * @property padding [Padding.VALID] (the default, as Keras) keeps only whole windows; [Padding.SAME] pads to keep ceil(size / stride).
 * @property activation applied to the output; [Activations.linear] by default.
 * @property useBias whether a learned bias per filter is added; true by default.
 * @property kernelInitializer starting values of the kernel `[kernelHeight, kernelWidth, in, filters]`; Glorot uniform, as Keras.
 * @property biasInitializer starting values of the bias; zeros, as Keras.
 */
class Conv2D @JvmOverloads constructor(
  val filters: Int,
  val kernelHeight: Int,
  val kernelWidth: Int = kernelHeight,
  val strideHeight: Int = 1,
  val strideWidth: Int = strideHeight,
  val padding: Padding = Padding.VALID,
  val activation: Activation = Activations.linear,
  val useBias: Boolean = true,
  val kernelInitializer: Initializer = Initializers.glorotUniform(),
  val biasInitializer: Initializer = Initializers.zeros(),
  name: String? = null,
) : Layer(name) {
  init {
    require(filters > 0) { "filters must be > 0, got $filters" }
    require(kernelHeight > 0 && kernelWidth > 0) { "kernel size must be > 0, got ${kernelHeight}x$kernelWidth" }
    require(strideHeight > 0 && strideWidth > 0) { "strides must be > 0, got ${strideHeight}x$strideWidth" }
  }

  override val typeName get() = "Conv2D"
  override val kerasName get() = "conv2d"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    val h = windowOutput(input[0], kernelHeight, strideHeight, padding)
    val w = windowOutput(input[1], kernelWidth, strideWidth, padding)
    require(h > 0 && w > 0) {
      "$typeName kernel ${kernelHeight}x$kernelWidth does not fit input ${input.contentToString()} with ${padding.name} padding"
    }
    return intArrayOf(h, w, filters)
  }

  override fun parameters(input: IntArray): List<ParamSpec> {
    requireRank(input, 3, "[height, width, channels]")
    val kernel = ParamSpec("kernel", intArrayOf(kernelHeight, kernelWidth, input[2], filters), kernelInitializer)
    return if (useBias) listOf(kernel, ParamSpec("bias", intArrayOf(filters), biasInitializer)) else listOf(kernel)
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    var y: Operand<TFloat32> = tf.nn.conv2d(
      floats(ctx, x), params.getValue("kernel"),
      listOf(1L, strideHeight.toLong(), strideWidth.toLong(), 1L), padding.tfName, Conv2d.dataFormat("NHWC"),
    )
    if (useBias) y = tf.nn.biasAdd(y, params.getValue("bias"))
    return activation.apply(tf, y)
  }
}
