package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32

/**
 * Batch normalization over the last axis, as Keras' BatchNormalization: in training the batch's
 * mean and (biased) variance normalize and an update op moves the moving statistics toward them
 * (moving = momentum * moving + (1 - momentum) * batch); in inference the moving statistics
 * normalize. The moving statistics are non-trainable parameters, saved with checkpoints.
 *
 * @property momentum the moving statistics' decay per training step; 0.99, Keras' default.
 * @property epsilon added to the variance before the square root; 1e-3, Keras' default.
 * @property center whether a learned offset beta is added after normalizing; true by default.
 * @property scale whether a learned factor gamma multiplies after normalizing; true by default.
 */
class BatchNorm @JvmOverloads constructor(
  val momentum: Float = 0.99f,
  val epsilon: Float = 1e-3f,
  val center: Boolean = true,
  val scale: Boolean = true,
  name: String? = null,
) : Layer(name) {
  init {
    require(momentum in 0f..1f) { "batch norm momentum must be in [0, 1], got $momentum" }
    require(epsilon > 0f) { "batch norm epsilon must be > 0, got $epsilon" }
  }

  override val typeName get() = "BatchNormalization"
  override val kerasName get() = "batch_normalization"

  override fun outputShape(input: IntArray): IntArray {
    require(input.isNotEmpty()) { "$typeName needs at least one dimension per example, got a scalar" }
    return input.copyOf()
  }

  override fun parameters(input: IntArray): List<ParamSpec> {
    val c = intArrayOf(outputShape(input).last())
    return listOfNotNull(
      if (scale) ParamSpec("gamma", c, Initializers.ones()) else null,
      if (center) ParamSpec("beta", c, Initializers.zeros()) else null,
      ParamSpec("moving_mean", c, Initializers.zeros(), trainable = false),
      ParamSpec("moving_variance", c, Initializers.ones(), trainable = false),
    )
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val rank = input.shape().numDimensions()
    val axes = tf.constant(IntArray(rank - 1) { it })
    val batchMean = tf.math.mean(input, axes)
    val batchVar = tf.math.mean(tf.math.square(tf.math.sub(input, batchMean)), axes)
    val movingMean = variable(params, "moving_mean")
    val movingVar = variable(params, "moving_variance")

    // training is 1 or 0: blending arithmetically needs no conditional op and keeps gradients simple
    val t = ctx.training
    val notT = tf.math.sub(tf.constant(1f), t)
    val mean = tf.math.add(tf.math.mul(t, batchMean), tf.math.mul(notT, movingMean))
    val variance = tf.math.add(tf.math.mul(t, batchVar), tf.math.mul(notT, movingVar))

    var y: Operand<TFloat32> = tf.math.mul(tf.math.sub(input, mean), tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))))
    if (scale) y = tf.math.mul(y, params.getValue("gamma"))
    if (center) y = tf.math.add(y, params.getValue("beta"))

    val m = tf.constant(momentum)
    val oneMinus = tf.constant(1f - momentum)
    ctx.addUpdate(tf.assign(movingMean, tf.math.add(tf.math.mul(movingMean, m), tf.math.mul(tf.stopGradient(batchMean), oneMinus))))
    ctx.addUpdate(tf.assign(movingVar, tf.math.add(tf.math.mul(movingVar, m), tf.math.mul(tf.stopGradient(batchVar), oneMinus))))
    return y
  }

  @Suppress("UNCHECKED_CAST")
  private fun variable(params: Map<String, Operand<TFloat32>>, name: String): Variable<TFloat32> =
    params.getValue(name) as? Variable<TFloat32>
      ?: throw IllegalArgumentException("$typeName needs '$name' as a graph variable to update it, got ${params.getValue(name)}")
}
