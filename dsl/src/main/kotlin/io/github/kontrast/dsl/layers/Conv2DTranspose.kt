package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.nn.Conv2dBackpropInput
import org.tensorflow.types.TFloat32

/**
 * Transposed 2D convolution over [height, width, channels] (NHWC), as Keras' Conv2DTranspose: the
 * gradient of a convolution with respect to its input, which spreads each input pixel over a
 * kernel-sized patch of the output, [strideHeight] x [strideWidth] apart. A decoder uses it to
 * grow 7x7 maps back to 28x28.
 *
 * Output size per axis (Keras' rule, no output padding): `in * stride` with SAME padding,
 * `in * stride + max(kernel - stride, 0)` with VALID. The kernel is [kh, kw, filters, inChannels]
 * (Keras' layout: output channels before input channels), so Keras weights load unchanged.
 */
class Conv2DTranspose @JvmOverloads constructor(
  /** Output channels. */
  filters: Int,
  /** Kernel rows. */
  kernelHeight: Int,
  /** Kernel columns (default: square). */
  kernelWidth: Int = kernelHeight,
  /** Rows between the patches of neighbouring input pixels: the growth factor along height (default 1). */
  strideHeight: Int = 1,
  /** Columns between the patches of neighbouring input pixels (default: as [strideHeight]). */
  strideWidth: Int = strideHeight,
  /** VALID (the default) or SAME; sets the output size as above. */
  padding: Padding = Padding.VALID,
  /** Applied to the output (default linear). */
  activation: Activation = Activations.linear,
  /** Whether a bias per filter is added (default true). */
  useBias: Boolean = true,
  /** Starting values of the kernel (default Glorot uniform, Keras' default). */
  kernelInitializer: Initializer = Initializers.glorotUniform(),
  /** Starting values of the bias (default zeros). */
  biasInitializer: Initializer = Initializers.zeros(),
  name: String? = null,
) : Convolution(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, activation, useBias, kernelInitializer, biasInitializer, name) {
  override val typeName get() = "Conv2DTranspose"
  override val kerasName get() = "conv2d_transpose"

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    return intArrayOf(grown(input[0], kernelHeight, strideHeight), grown(input[1], kernelWidth, strideWidth), filters)
  }

  private fun grown(size: Int, kernel: Int, stride: Int): Int = when (padding) {
    Padding.SAME -> size * stride
    Padding.VALID -> size * stride + maxOf(kernel - stride, 0)
  }

  override fun kernelShape(inChannels: Int): IntArray = intArrayOf(kernelHeight, kernelWidth, filters, inChannels)

  override fun convolve(ctx: ForwardContext, x: Operand<*>, kernel: Operand<TFloat32>): Operand<TFloat32> {
    val tf = ctx.tf
    val dims = x.shape().asArray()
    require(dims.size == 4) { "$typeName expects a [batch, height, width, channels] input, got ${dims.contentToString()}" }
    val out = outputShape(IntArray(3) { dims[it + 1].toInt() })
    // the batch size is only known when the graph runs: the output size is [batch] + out, built in the graph
    val batch = tf.slice(tf.shape(x), tf.constant(intArrayOf(0)), tf.constant(intArrayOf(1)))
    val sizes = tf.concat(listOf(batch, tf.constant(out)), tf.constant(0))
    val y = tf.nn.conv2dBackpropInput(sizes, kernel, floats(ctx, x), strides(), padding.tfName, Conv2dBackpropInput.dataFormat("NHWC"))
    // the op knows its output size only as a tensor; a reshape gives later layers the static shape
    return tf.reshape(y, tf.constant(intArrayOf(-1, out[0], out[1], out[2])))
  }
}
