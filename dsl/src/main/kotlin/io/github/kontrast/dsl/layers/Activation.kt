package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.op.nn.LeakyRelu
import org.tensorflow.types.TFloat32

/** An element-wise function applied after a layer, with the Keras name it prints under. */
interface Activation {
  val name: String
  fun apply(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32>
}

/** The common activations; every one has a gradient registered in TensorFlow's C++ registry. */
object Activations {
  private fun of(name: String, f: (Ops, Operand<TFloat32>) -> Operand<TFloat32>) = object : Activation {
    override val name = name
    override fun apply(tf: Ops, x: Operand<TFloat32>) = f(tf, x)
    override fun toString() = name
  }

  @JvmField val linear: Activation = of("linear") { _, x -> x }
  @JvmField val relu: Activation = of("relu") { tf, x -> tf.nn.relu(x) }
  @JvmField val tanh: Activation = of("tanh") { tf, x -> tf.math.tanh(x) }
  @JvmField val sigmoid: Activation = of("sigmoid") { tf, x -> tf.math.sigmoid(x) }
  @JvmField val softplus: Activation = of("softplus") { tf, x -> tf.math.softplus(x) }
  @JvmField val elu: Activation = of("elu") { tf, x -> tf.nn.elu(x) }
  @JvmField val selu: Activation = of("selu") { tf, x -> tf.nn.selu(x) }

  /** Exact GELU, x * Phi(x) = x/2 * (1 + erf(x / sqrt 2)), as Keras' default (approximate = false). */
  @JvmField val gelu: Activation = of("gelu") { tf, x ->
    val half = tf.math.mul(x, tf.constant(0.5f))
    val erf = tf.math.erf(tf.math.mul(x, tf.constant((1.0 / Math.sqrt(2.0)).toFloat())))
    tf.math.mul(half, tf.math.add(erf, tf.constant(1f)))
  }

  /** Keras' LeakyReLU default slope is 0.3 (tf.nn's is 0.2). */
  @JvmStatic @JvmOverloads
  fun leakyRelu(alpha: Float = 0.3f): Activation {
    require(alpha >= 0f) { "leakyRelu alpha must be >= 0, got $alpha" }
    return of("leaky_relu") { tf, x -> tf.nn.leakyRelu(x, LeakyRelu.alpha(alpha)) }
  }
}
