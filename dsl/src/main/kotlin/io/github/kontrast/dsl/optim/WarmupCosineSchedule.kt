package io.github.kontrast.dsl.optim

import kotlin.math.PI
import kotlin.math.cos

/**
 * Linear warmup to [peak], then a cosine down to [floor], as SimCLR and most contrastive recipes
 * train (the same shape as Keras' `CosineDecay` with `warmup_target` and Hugging Face's
 * `get_cosine_schedule_with_warmup`).
 *
 * For the 0-based step `s`:
 * - `s < warmupSteps`: `peak * s / warmupSteps`, so step 0 runs at rate 0 and the rate rises by
 *   `peak / warmupSteps` per step;
 * - `warmupSteps <= s <= totalSteps`: `floor + (peak - floor) * (1 + cos(pi * p)) / 2` with
 *   `p = (s - warmupSteps) / (totalSteps - warmupSteps)`, so the rate is [peak] at the end of the
 *   warmup and [floor] at [totalSteps];
 * - `s > totalSteps`: [floor].
 *
 * With `warmupSteps = 0` it is a plain cosine decay.
 *
 * @property peak the rate at the end of the warmup, > 0.
 * @property warmupSteps the length of the linear warmup in steps, >= 0.
 * @property totalSteps the step at which the cosine reaches [floor], > [warmupSteps].
 * @property floor the final rate, in [0, [peak]]; 0 by default.
 */
class WarmupCosineSchedule(
  val peak: Double,
  val warmupSteps: Long,
  val totalSteps: Long,
  val floor: Double = 0.0,
) : LearningRateSchedule {
  init {
    requirePositive("peak", peak)
    require(warmupSteps >= 0) { "warmupSteps: expected a number of steps >= 0, got $warmupSteps" }
    require(totalSteps > warmupSteps) {
      "totalSteps: expected more steps than warmupSteps ($warmupSteps), got $totalSteps"
    }
    require(floor.isFinite() && floor >= 0.0 && floor <= peak) { "floor: expected a rate in [0, peak=$peak], got $floor" }
  }

  override fun at(step: Long): Double {
    requireStep(step)
    if (step < warmupSteps) return peak * step.toDouble() / warmupSteps.toDouble()
    if (step >= totalSteps) return floor
    val progress = (step - warmupSteps).toDouble() / (totalSteps - warmupSteps).toDouble()
    return floor + (peak - floor) * 0.5 * (1.0 + cos(PI * progress))
  }

  override fun toString(): String = "warmupCosine(peak=$peak, warmupSteps=$warmupSteps, totalSteps=$totalSteps, floor=$floor)"
}
