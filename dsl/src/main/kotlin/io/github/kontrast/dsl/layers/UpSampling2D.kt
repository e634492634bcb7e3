package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.image.ResizeBilinear
import org.tensorflow.types.TFloat32

/**
 * Grows [height, width, channels] maps by whole factors, as Keras' UpSampling2D: [Interpolation.NEAREST]
 * (Keras' default) repeats every pixel [sizeHeight] x [sizeWidth] times; [Interpolation.BILINEAR]
 * interpolates between pixel centres as `tf.image.resize(method="bilinear")` does (half-pixel
 * centres, edges clamped). No parameters.
 */
class UpSampling2D @JvmOverloads constructor(
  /** Growth factor along height. */
  val sizeHeight: Int,
  /** Growth factor along width (default: as [sizeHeight]). */
  val sizeWidth: Int = sizeHeight,
  /** How new pixels are filled (default [Interpolation.NEAREST]). */
  val interpolation: Interpolation = Interpolation.NEAREST,
  name: String? = null,
) : Layer(name) {
  init {
    require(sizeHeight > 0 && sizeWidth > 0) { "UpSampling2D size must be > 0, got ${sizeHeight}x$sizeWidth" }
  }

  /** How new pixels get their values. */
  enum class Interpolation { NEAREST, BILINEAR }

  override val typeName get() = "UpSampling2D"
  override val kerasName get() = "up_sampling2d"

  override fun outputShape(input: IntArray): IntArray {
    requireRank(input, 3, "[height, width, channels]")
    return intArrayOf(input[0] * sizeHeight, input[1] * sizeWidth, input[2])
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val dims = x.shape().asArray()
    require(dims.size == 4) { "$typeName expects a [batch, height, width, channels] input, got ${dims.contentToString()}" }
    val (h, w, c) = Triple(dims[1].toInt(), dims[2].toInt(), dims[3].toInt())
    val xf = floats(ctx, x)
    return when (interpolation) {
      Interpolation.NEAREST -> {
        // [B, H, 1, W, 1, C] times ones [sh, 1, sw, 1]: every pixel repeated, with the plain gradients of reshape and mul
        val spread = tf.math.mul(
          tf.reshape(xf, tf.constant(intArrayOf(-1, h, 1, w, 1, c))),
          tf.ones(tf.constant(intArrayOf(1, 1, sizeHeight, 1, sizeWidth, 1)), TFloat32::class.java),
        )
        tf.reshape(spread, tf.constant(intArrayOf(-1, h * sizeHeight, w * sizeWidth, c)))
      }
      Interpolation.BILINEAR -> tf.reshape(
        tf.image.resizeBilinear(xf, tf.constant(intArrayOf(h * sizeHeight, w * sizeWidth)), ResizeBilinear.halfPixelCenters(true)),
        tf.constant(intArrayOf(-1, h * sizeHeight, w * sizeWidth, c)),
      )
    }
  }
}
