package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * Layer normalization (Ba et al. 2016) over the last axis, as Keras' LayerNormalization and
 * PyTorch's LayerNorm: each position's features get mean 0 and (biased) variance 1, then
 * y = gamma * (x - mean) / sqrt(variance + epsilon) + beta. Unlike batch norm it does not look
 * across examples, so training and inference compute the same thing.
 */
class LayerNorm @JvmOverloads constructor(
  /** Added to the variance before the square root (default 1e-5, PyTorch's). */
  val epsilon: Float = 1e-5f,
  /** Whether the learned offset beta is added (default true). */
  val center: Boolean = true,
  /** Whether the learned gain gamma multiplies (default true). */
  val scale: Boolean = true,
  name: String? = null,
) : Layer(name) {
  init {
    require(epsilon > 0f) { "layer norm epsilon must be > 0, got $epsilon" }
  }

  override val typeName get() = "LayerNormalization"
  override val kerasName get() = "layer_normalization"

  override fun outputShape(input: IntArray): IntArray {
    require(input.isNotEmpty()) { "$typeName needs at least one dimension per example, got a scalar" }
    return input.copyOf()
  }

  override fun parameters(input: IntArray): List<ParamSpec> {
    val c = intArrayOf(outputShape(input).last())
    return listOfNotNull(
      if (scale) ParamSpec("gamma", c, Initializers.ones()) else null,
      if (center) ParamSpec("beta", c, Initializers.zeros()) else null,
    )
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val last = tf.constant(intArrayOf(-1))
    val mean = tf.math.mean(input, last, org.tensorflow.op.math.Mean.keepDims(true))
    val centred = tf.math.sub(input, mean)
    val variance = tf.math.mean(tf.math.square(centred), last, org.tensorflow.op.math.Mean.keepDims(true))
    var y: Operand<TFloat32> = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))))
    if (scale) y = tf.math.mul(y, params.getValue("gamma"))
    if (center) y = tf.math.add(y, params.getValue("beta"))
    return y
  }
}
