package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.core.Sum
import org.tensorflow.types.TFloat32

/**
 * Scales each vector (the last axis) to unit length, y = x / sqrt(max(sum x^2, epsilon^2)), as
 * `tf.math.l2_normalize` and PyTorch's `F.normalize` do: the end of a CLIP tower, whose embeddings
 * are compared by dot products. A zero vector stays zero instead of dividing by zero.
 *
 * @property epsilon floor of the norm: a vector shorter than epsilon is divided by epsilon instead (default 1e-12, as `tf.math.l2_normalize`).
 */
class L2Normalize @JvmOverloads constructor(val epsilon: Float = 1e-12f, name: String? = null) : Layer(name) {
  init {
    require(epsilon > 0f) { "l2 normalize epsilon must be > 0, got $epsilon" }
  }

  override val typeName get() = "L2Normalize"
  override val kerasName get() = "l2_normalize"

  override fun outputShape(input: IntArray): IntArray {
    require(input.isNotEmpty()) { "$typeName needs at least one dimension per example, got a scalar" }
    return input.copyOf()
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val squares = tf.sum(tf.math.square(input), tf.constant(-1), Sum.keepDims(true))
    return tf.math.mul(input, tf.math.rsqrt(tf.math.maximum(squares, tf.constant(epsilon * epsilon))))
  }
}
