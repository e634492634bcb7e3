package io.github.kontrast.dsl.precision

import org.tensorflow.types.TBfloat16
import org.tensorflow.types.TFloat16
import org.tensorflow.types.TFloat32
import org.tensorflow.types.family.TNumber

/**
 * The element type an encoder computes in, and the loss scaling its gradients get. Variables stay
 * float32 (the master weights): the layers that can compute in the reduced type read their
 * variables through a cast inside the graph, their activations are of the compute type, every
 * encoder's output is cast back to float32, and the loss is computed in float32. Gradients flow
 * back through the casts to the float32 variables, which the optimizer updates in float32.
 *
 * Which layers compute in the reduced type is each layer's [io.github.kontrast.dsl.layers.Layer.reducedPrecision]:
 * convolutions, dense layers, pooling, reshapes, dropout and activations do; normalizations,
 * global pooling and embeddings stay float32 (their sums want float32 accumulation).
 *
 * [FLOAT32] (the default) builds exactly the graph that has no precision setting.
 *
 * @property name "float32", "bfloat16" or "float16", as the command line and summaries write it.
 * @property computeType the TensorFlow type the reduced-precision layers compute in.
 * @property lossScale how the loss is scaled before differentiation; [LossScale.none] but for float16.
 */
class Precision private constructor(
  val name: String,
  val computeType: Class<out TNumber>,
  val lossScale: LossScale,
) {
  /** True unless this is float32: the encoder's layers cast their inputs and weights. */
  val isReduced: Boolean get() = computeType != TFloat32::class.java

  /**
   * The same compute type with another loss scale, e.g. `Precision.FLOAT16.withLossScale(LossScale.fixed(1024.0))`.
   * float32 takes only [LossScale.none]: its gradients do not underflow.
   */
  fun withLossScale(lossScale: LossScale): Precision {
    require(isReduced || !lossScale.isActive) {
      "lossScale: float32 takes no loss scaling (expected LossScale.none()), got $lossScale"
    }
    return Precision(name, computeType, lossScale)
  }

  override fun toString(): String = if (lossScale.isActive) "$name ($lossScale)" else name

  override fun equals(other: Any?): Boolean =
    other is Precision && other.computeType == computeType && other.lossScale == lossScale

  override fun hashCode(): Int = computeType.hashCode() * 31 + lossScale.hashCode()

  companion object {
    /** Everything in float32: the default. */
    @JvmField val FLOAT32 = Precision("float32", TFloat32::class.java, LossScale.none())

    /**
     * bfloat16 compute (float32's exponent range, 8 bits of mantissa): no loss scaling needed.
     * Fast on CPUs with AVX512-BF16 or AMX (oneDNN) and on recent GPUs.
     */
    @JvmField val BFLOAT16 = Precision("bfloat16", TBfloat16::class.java, LossScale.none())

    /**
     * float16 compute with dynamic loss scaling, as GPUs want it. On a CPU TensorFlow emulates
     * float16 and it is much slower than float32.
     */
    @JvmField val FLOAT16 = Precision("float16", TFloat16::class.java, LossScale.dynamic())

    /** [FLOAT32], [BFLOAT16] or [FLOAT16] by its [name] ("float32", "bfloat16"/"bf16", "float16"/"fp16"), for command lines. */
    @JvmStatic
    fun of(name: String): Precision = when (name.lowercase()) {
      "float32", "fp32", "f32" -> FLOAT32
      "bfloat16", "bf16" -> BFLOAT16
      "float16", "fp16", "f16", "half" -> FLOAT16
      else -> throw IllegalArgumentException("precision: expected float32, bfloat16 (bf16) or float16 (fp16), got '$name'")
    }
  }
}
