package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.op.nn.LeakyRelu
import org.tensorflow.types.TFloat32

/** An element-wise function applied after a layer, with the Keras name it prints under. */
interface Activation {
  /** The Keras name, e.g. "relu", shown in summaries and error messages. */
  val name: String

  /** The function applied to every element of [x]; the output has [x]'s shape. */
  fun apply(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32>
}

/** The common activations; every one has a gradient registered in TensorFlow's C++ registry. */
object Activations {
  private fun of(name: String, f: (Ops, Operand<TFloat32>) -> Operand<TFloat32>) = object : Activation {
    override val name = name
    override fun apply(tf: Ops, x: Operand<TFloat32>) = f(tf, x)
    override fun toString() = name
  }

  /** The identity, x; the layers' default activation, as in Keras. */
  @JvmField val linear: Activation = of("linear") { _, x -> x }

  /** max(x, 0). */
  @JvmField val relu: Activation = of("relu") { tf, x -> tf.nn.relu(x) }

  /** The hyperbolic tangent, in (-1, 1). */
  @JvmField val tanh: Activation = of("tanh") { tf, x -> tf.math.tanh(x) }

  /** 1 / (1 + exp(-x)), in (0, 1). */
  @JvmField val sigmoid: Activation = of("sigmoid") { tf, x -> tf.math.sigmoid(x) }

  /** log(1 + exp(x)), a smooth relu. */
  @JvmField val softplus: Activation = of("softplus") { tf, x -> tf.math.softplus(x) }

  /** x for x > 0, exp(x) - 1 otherwise (alpha 1, Keras' default). */
  @JvmField val elu: Activation = of("elu") { tf, x -> tf.nn.elu(x) }

  /** Scaled elu with the self-normalizing constants of Klambauer et al. (2017), as tf.nn.selu. */
  @JvmField val selu: Activation = of("selu") { tf, x -> tf.nn.selu(x) }

  /** Exact GELU, x * Phi(x) = x/2 * (1 + erf(x / sqrt 2)), as Keras' default (approximate = false). */
  @JvmField val gelu: Activation = of("gelu") { tf, x ->
    // constants in x's type, so that gelu also runs in bfloat16 or float16
    @Suppress("UNCHECKED_CAST")
    fun c(v: Float): Operand<TFloat32> =
      if (x.type() == TFloat32::class.java) tf.constant(v) else tf.dtypes.cast(tf.constant(v), x.type()) as Operand<TFloat32>
    val half = tf.math.mul(x, c(0.5f))
    val erf = tf.math.erf(tf.math.mul(x, c((1.0 / Math.sqrt(2.0)).toFloat())))
    tf.math.mul(half, tf.math.add(erf, c(1f)))
  }

  /** x for x > 0, [alpha] * x otherwise. Keras' LeakyReLU default slope is 0.3 (tf.nn's is 0.2). */
  @JvmStatic @JvmOverloads
  fun leakyRelu(alpha: Float = 0.3f): Activation {
    require(alpha >= 0f) { "leakyRelu alpha must be >= 0, got $alpha" }
    return of("leaky_relu") { tf, x -> tf.nn.leakyRelu(x, LeakyRelu.alpha(alpha)) }
  }
}
