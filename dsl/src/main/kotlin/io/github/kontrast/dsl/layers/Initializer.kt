package io.github.kontrast.dsl.layers

import java.util.SplittableRandom
import kotlin.math.sqrt

/**
 * Computes a parameter's starting values on the host, from a random stream the engine derives
 * from the model seed and the parameter's name: the same seed gives the same weights on any
 * machine, and no random op sits in the graph.
 */
fun interface Initializer {
  /** Values for a parameter of [shape], row-major. */
  fun values(shape: IntArray, random: SplittableRandom): FloatArray
}

/** Fan-in and fan-out of a weight shape, computed the way Keras does (receptive field times channels). */
internal fun fans(shape: IntArray): Pair<Double, Double> = when (shape.size) {
  0 -> 1.0 to 1.0
  1 -> shape[0].toDouble() to shape[0].toDouble()
  2 -> shape[0].toDouble() to shape[1].toDouble()
  else -> {
    val receptive = shape.dropLast(2).fold(1.0) { a, b -> a * b }
    shape[shape.size - 2] * receptive to shape[shape.size - 1] * receptive
  }
}

/** Keras' initializers by their Keras names. */
object Initializers {
  private fun count(shape: IntArray) = shape.fold(1) { a, b -> a * b }

  /** All 0: Keras' default for biases and batch norm's beta and moving mean. */
  @JvmStatic fun zeros(): Initializer = constant(0f)

  /** All 1: batch norm's gamma and moving variance. */
  @JvmStatic fun ones(): Initializer = constant(1f)

  /** Every value [value]. */
  @JvmStatic fun constant(value: Float): Initializer = Initializer { shape, _ -> FloatArray(count(shape)) { value } }

  /** Uniform on [min, max); Keras' RandomUniform defaults to [-0.05, 0.05). */
  @JvmStatic @JvmOverloads
  fun uniform(min: Float = -0.05f, max: Float = 0.05f): Initializer {
    require(max > min) { "uniform initializer needs max > min, got min=$min max=$max" }
    return Initializer { shape, r -> FloatArray(count(shape)) { (min + (max - min) * r.nextDouble()).toFloat() } }
  }

  /** Normal with mean and standard deviation; Keras' RandomNormal defaults to (0, 0.05). */
  @JvmStatic @JvmOverloads
  fun normal(mean: Float = 0f, stddev: Float = 0.05f): Initializer {
    require(stddev > 0f) { "normal initializer needs stddev > 0, got $stddev" }
    return Initializer { shape, r -> FloatArray(count(shape)) { (mean + stddev * gaussian(r)).toFloat() } }
  }

  /** Normal truncated at two standard deviations (values beyond are drawn again). */
  @JvmStatic @JvmOverloads
  fun truncatedNormal(mean: Float = 0f, stddev: Float = 0.05f): Initializer {
    require(stddev > 0f) { "truncatedNormal initializer needs stddev > 0, got $stddev" }
    return Initializer { shape, r -> FloatArray(count(shape)) { (mean + stddev * truncated(r)).toFloat() } }
  }

  /** Glorot (Xavier) uniform: uniform on +-sqrt(6 / (fan-in + fan-out)); Keras' default for kernels. */
  @JvmStatic fun glorotUniform(): Initializer = varianceScaling(1.0, Mode.FAN_AVG, uniform = true)

  /** Glorot (Xavier) normal: truncated normal with variance 2 / (fan-in + fan-out). */
  @JvmStatic fun glorotNormal(): Initializer = varianceScaling(1.0, Mode.FAN_AVG, uniform = false)

  /** He uniform: uniform on +-sqrt(6 / fan-in), for relu layers. */
  @JvmStatic fun heUniform(): Initializer = varianceScaling(2.0, Mode.FAN_IN, uniform = true)

  /** He normal: truncated normal with variance 2 / fan-in, for relu layers. */
  @JvmStatic fun heNormal(): Initializer = varianceScaling(2.0, Mode.FAN_IN, uniform = false)

  /** LeCun uniform: uniform on +-sqrt(3 / fan-in), for selu layers. */
  @JvmStatic fun lecunUniform(): Initializer = varianceScaling(1.0, Mode.FAN_IN, uniform = true)

  /** LeCun normal: truncated normal with variance 1 / fan-in, for selu layers. */
  @JvmStatic fun lecunNormal(): Initializer = varianceScaling(1.0, Mode.FAN_IN, uniform = false)

  /** Which fan [varianceScaling] divides by: the inputs', the outputs', or their mean. */
  enum class Mode { FAN_IN, FAN_OUT, FAN_AVG }

  /**
   * Keras' VarianceScaling: variance scale / n with n = fan-in, fan-out or their mean; uniform on
   * +-sqrt(3 * variance), or a normal truncated at 2 sigma whose stddev is corrected by
   * 0.8796... (the stddev of a unit normal truncated there), as Keras does.
   */
  @JvmStatic
  fun varianceScaling(scale: Double, mode: Mode, uniform: Boolean): Initializer {
    require(scale > 0) { "varianceScaling needs scale > 0, got $scale" }
    return Initializer { shape, r ->
      val (fanIn, fanOut) = fans(shape)
      val n = when (mode) {
        Mode.FAN_IN -> fanIn
        Mode.FAN_OUT -> fanOut
        Mode.FAN_AVG -> (fanIn + fanOut) / 2
      }.coerceAtLeast(1.0)
      val variance = scale / n
      if (uniform) {
        val limit = sqrt(3 * variance)
        FloatArray(count(shape)) { ((2 * r.nextDouble() - 1) * limit).toFloat() }
      } else {
        val stddev = sqrt(variance) / 0.87962566103423978
        FloatArray(count(shape)) { (stddev * truncated(r)).toFloat() }
      }
    }
  }

  /** Box-Muller, so that the stream depends on nothing but the seed. */
  private fun gaussian(r: SplittableRandom): Double {
    val u1 = 1.0 - r.nextDouble()
    val u2 = r.nextDouble()
    return sqrt(-2.0 * kotlin.math.ln(u1)) * kotlin.math.cos(2 * Math.PI * u2)
  }

  private fun truncated(r: SplittableRandom): Double {
    while (true) {
      val g = gaussian(r)
      if (g >= -2.0 && g <= 2.0) return g
    }
  }
}
