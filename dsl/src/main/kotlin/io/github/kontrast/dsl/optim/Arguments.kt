package io.github.kontrast.dsl.optim

// Argument checks shared by optimizers and schedules, so that every message reads the same way:
// the argument's name, what was expected, what came.

internal fun requirePositive(name: String, value: Double) {
  require(value.isFinite() && value > 0.0) { "$name: expected a finite number > 0, got $value" }
}

internal fun requireNonNegative(name: String, value: Double) {
  require(value.isFinite() && value >= 0.0) { "$name: expected a finite number >= 0, got $value" }
}

/** For decay rates such as Adam's betas and RMSprop's rho: 0 <= value < 1. */
internal fun requireUnitInterval(name: String, value: Double) {
  require(value.isFinite() && value >= 0.0 && value < 1.0) {
    "$name: expected a number in [0, 1), got $value"
  }
}
