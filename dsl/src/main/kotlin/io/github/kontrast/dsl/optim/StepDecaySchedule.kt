package io.github.kontrast.dsl.optim

/**
 * Multiplies the learning rate by [gamma] every [everySteps] steps, as PyTorch's `StepLR`:
 * `initialRate * gamma^floor(step / everySteps)`.
 *
 * @property initialRate the rate of the first [everySteps] steps, > 0.
 * @property everySteps the number of steps between two drops, > 0.
 * @property gamma the factor applied at each drop, in (0, 1].
 */
class StepDecaySchedule(val initialRate: Double, val everySteps: Long, val gamma: Double) : LearningRateSchedule {
  init {
    requirePositive("initialRate", initialRate)
    require(everySteps > 0) { "everySteps: expected a number of steps > 0, got $everySteps" }
    require(gamma.isFinite() && gamma > 0.0 && gamma <= 1.0) { "gamma: expected a factor in (0, 1], got $gamma" }
  }

  override fun at(step: Long): Double {
    requireStep(step)
    return initialRate * Math.pow(gamma, (step / everySteps).toDouble())
  }

  override fun toString(): String = "step($initialRate, every=$everySteps, gamma=$gamma)"
}
