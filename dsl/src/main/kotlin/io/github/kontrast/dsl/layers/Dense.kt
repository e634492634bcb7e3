package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * A fully connected layer on the last axis, as Keras' Dense: activation(x W + b).
 *
 * @property units the size of the output's last axis.
 * @property activation applied to x W + b; [Activations.linear] by default.
 * @property useBias whether the bias b is learned and added; true by default.
 * @property kernelInitializer starting values of W `[in, units]`; Glorot uniform, as Keras.
 * @property biasInitializer starting values of b; zeros, as Keras.
 */
class Dense @JvmOverloads constructor(
  val units: Int,
  val activation: Activation = Activations.linear,
  val useBias: Boolean = true,
  val kernelInitializer: Initializer = Initializers.glorotUniform(),
  val biasInitializer: Initializer = Initializers.zeros(),
  name: String? = null,
) : Layer(name) {
  init {
    require(units > 0) { "units must be > 0, got $units" }
  }

  override val typeName get() = "Dense"
  override val kerasName get() = "dense"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray {
    require(input.isNotEmpty()) { "$typeName needs at least one dimension per example, got a scalar" }
    return input.copyOf().also { it[it.size - 1] = units }
  }

  override fun parameters(input: IntArray): List<ParamSpec> {
    require(input.isNotEmpty()) { "$typeName needs at least one dimension per example, got a scalar" }
    val kernel = ParamSpec("kernel", intArrayOf(input.last(), units), kernelInitializer)
    return if (useBias) listOf(kernel, ParamSpec("bias", intArrayOf(units), biasInitializer)) else listOf(kernel)
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val dims = input.shape().asArray()
    val kernel = params.getValue("kernel")
    // Dense on a sequence acts on the last axis: fold the leading axes into rows and back
    var y: Operand<TFloat32> = if (dims.size == 2) {
      tf.linalg.matMul(input, kernel)
    } else {
      val rows = tf.reshape(input, tf.constant(longArrayOf(-1L, dims.last())))
      val out = longArrayOf(-1L) + dims.drop(1).dropLast(1).toLongArray() + units.toLong()
      tf.reshape(tf.linalg.matMul(rows, kernel), tf.constant(out))
    }
    if (useBias) y = tf.nn.biasAdd(y, params.getValue("bias"))
    return activation.apply(tf, y)
  }
}
