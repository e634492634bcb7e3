package io.github.kontrast.dsl.engine

import kotlin.math.PI
import kotlin.math.cos

/** The momentum tau of an EMA copy ([GraphBuilder.momentumCopy]) as a function of the 0-based step just done. */
fun interface MomentumSchedule {
  fun tau(step: Long): Double

  companion object {
    /** The same [tau] at every step (MoCo v1/v2's 0.999). */
    @JvmStatic
    fun constant(tau: Double): MomentumSchedule {
      require(tau in 0.0..1.0) { "tau: expected a number in [0, 1], got $tau" }
      return MomentumSchedule { tau }
    }

    /**
     * The cosine ramp of BYOL and MoCo v3 from [base] to 1 over [totalSteps]:
     * tau_k = 1 - (1 - base) * (cos(pi * k / K) + 1) / 2, and 1 after K.
     */
    @JvmStatic
    fun cosine(base: Double, totalSteps: Long): MomentumSchedule {
      require(base in 0.0..1.0) { "base: expected a number in [0, 1], got $base" }
      require(totalSteps > 0) { "totalSteps: expected a number of steps > 0, got $totalSteps" }
      return MomentumSchedule { k ->
        require(k >= 0) { "step: expected a 0-based step >= 0, got $k" }
        val progress = minOf(k, totalSteps).toDouble() / totalSteps
        1 - (1 - base) * (cos(PI * progress) + 1) / 2
      }
    }
  }
}
