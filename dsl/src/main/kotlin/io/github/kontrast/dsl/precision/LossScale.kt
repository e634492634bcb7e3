package io.github.kontrast.dsl.precision

/**
 * Loss scaling for float16 training: the loss is multiplied by a scale before differentiation so
 * that small gradients do not underflow in float16, and the gradients are divided by it before
 * the update. A step whose unscaled gradients hold an infinity or a NaN updates nothing (the
 * optimizer's ops do not run; batch-norm statistics still move).
 *
 * - [none]: no scaling (float32, bfloat16).
 * - [fixed]: a constant scale.
 * - [dynamic]: starts at [initial]; halves after every step with a non-finite gradient, doubles
 *   after [growthInterval] finite steps in a row (the scheme of TensorFlow's LossScaleOptimizer).
 *
 * The current scale and the count of finite steps are variables saved with checkpoints.
 *
 * @property initial the scale of the first step (for [none], 1).
 * @property growthInterval finite steps in a row after which a dynamic scale doubles; 0 when not dynamic.
 */
class LossScale private constructor(val initial: Double, val growthInterval: Int, private val kind: Kind) {
  private enum class Kind { NONE, FIXED, DYNAMIC }

  /** Whether the loss is scaled at all. */
  val isActive: Boolean get() = kind != Kind.NONE

  /** Whether the scale adapts to overflows. */
  val isDynamic: Boolean get() = kind == Kind.DYNAMIC

  override fun toString(): String = when (kind) {
    Kind.NONE -> "no loss scaling"
    Kind.FIXED -> "loss scale $initial"
    Kind.DYNAMIC -> "dynamic loss scale from $initial, doubled every $growthInterval finite steps"
  }

  override fun equals(other: Any?): Boolean =
    other is LossScale && other.kind == kind && other.initial == initial && other.growthInterval == growthInterval

  override fun hashCode(): Int = (kind.hashCode() * 31 + initial.hashCode()) * 31 + growthInterval

  companion object {
    /** No scaling. */
    @JvmStatic fun none(): LossScale = LossScale(1.0, 0, Kind.NONE)

    /** A constant [scale], finite and >= 1. */
    @JvmStatic fun fixed(scale: Double): LossScale {
      require(scale.isFinite() && scale >= 1.0) { "scale: expected a finite value >= 1, got $scale" }
      return LossScale(scale, 0, Kind.FIXED)
    }

    /** A dynamic scale starting at [initial] (2^15 by default, as Keras) that doubles after [growthInterval] finite steps (2,000). */
    @JvmStatic @JvmOverloads
    fun dynamic(initial: Double = 32768.0, growthInterval: Int = 2000): LossScale {
      require(initial.isFinite() && initial >= 1.0) { "initial: expected a finite value >= 1, got $initial" }
      require(growthInterval > 0) { "growthInterval: expected > 0, got $growthInterval" }
      return LossScale(initial, growthInterval, Kind.DYNAMIC)
    }
  }
}
