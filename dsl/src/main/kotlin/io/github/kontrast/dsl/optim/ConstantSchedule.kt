package io.github.kontrast.dsl.optim

/**
 * The same learning rate at every step.
 *
 * @property learningRate the rate, > 0.
 */
class ConstantSchedule(val learningRate: Double) : LearningRateSchedule {
  init {
    requirePositive("learningRate", learningRate)
  }

  override fun at(step: Long): Double {
    requireStep(step)
    return learningRate
  }

  override fun toString(): String = "constant($learningRate)"
}

internal fun requireStep(step: Long) {
  require(step >= 0) { "step: expected a 0-based step >= 0, got $step" }
}
