@file:JvmName("Optimizers")

package io.github.kontrast.dsl.optim

// The optimizer factories, written once: Kotlin calls them as top-level functions
// (`optimizer = adam(1e-3)`), Java as static methods of this file's class
// (`Optimizers.adam(1e-3)`), with every default through @JvmOverloads. Each takes a constant
// learning rate or a LearningRateSchedule (see [Schedules]); defaults are documented on the classes.

/** [Sgd] at a constant rate; Keras' defaults. */
@JvmOverloads
fun sgd(learningRate: Double = 0.01, momentum: Double = 0.0, nesterov: Boolean = false): Sgd =
  Sgd(ConstantSchedule(learningRate), momentum, nesterov)

/** [Sgd] following [schedule]. */
@JvmOverloads
fun sgd(schedule: LearningRateSchedule, momentum: Double = 0.0, nesterov: Boolean = false): Sgd =
  Sgd(schedule, momentum, nesterov)

/** [Adam] at a constant rate; Keras' defaults. */
@JvmOverloads
fun adam(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7): Adam =
  Adam(ConstantSchedule(learningRate), beta1, beta2, epsilon)

/** [Adam] following [schedule]. */
@JvmOverloads
fun adam(schedule: LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7): Adam =
  Adam(schedule, beta1, beta2, epsilon)

/** [AdamW] at a constant rate; Keras' defaults (weight decay 0.004, nothing excluded). */
@JvmOverloads
fun adamW(
  learningRate: Double = 0.001,
  weightDecay: Double = 0.004,
  beta1: Double = 0.9,
  beta2: Double = 0.999,
  epsilon: Double = 1e-7,
  excludeFromDecay: ParameterFilter = ParameterFilter.NONE,
): AdamW = AdamW(ConstantSchedule(learningRate), weightDecay, beta1, beta2, epsilon, excludeFromDecay)

/** [AdamW] following [schedule]. */
@JvmOverloads
fun adamW(
  schedule: LearningRateSchedule,
  weightDecay: Double = 0.004,
  beta1: Double = 0.9,
  beta2: Double = 0.999,
  epsilon: Double = 1e-7,
  excludeFromDecay: ParameterFilter = ParameterFilter.NONE,
): AdamW = AdamW(schedule, weightDecay, beta1, beta2, epsilon, excludeFromDecay)

/** [RmsProp] at a constant rate; Keras' defaults. */
@JvmOverloads
fun rmsprop(
  learningRate: Double = 0.001,
  rho: Double = 0.9,
  momentum: Double = 0.0,
  epsilon: Double = 1e-7,
  centered: Boolean = false,
): RmsProp = RmsProp(ConstantSchedule(learningRate), rho, momentum, epsilon, centered)

/** [RmsProp] following [schedule]. */
@JvmOverloads
fun rmsprop(
  schedule: LearningRateSchedule,
  rho: Double = 0.9,
  momentum: Double = 0.0,
  epsilon: Double = 1e-7,
  centered: Boolean = false,
): RmsProp = RmsProp(schedule, rho, momentum, epsilon, centered)

/** [Lars] at a constant rate (no default rate: LARS recipes scale it with the batch size); SimCLR's defaults. */
@JvmOverloads
fun lars(
  learningRate: Double,
  momentum: Double = 0.9,
  weightDecay: Double = 1e-6,
  eta: Double = 0.001,
  nesterov: Boolean = false,
  exclude: ParameterFilter = ParameterFilter.BIASES_AND_NORMALIZATION,
): Lars = Lars(ConstantSchedule(learningRate), momentum, weightDecay, eta, nesterov, exclude)

/** [Lars] following [schedule], typically [Schedules.warmupCosine]. */
@JvmOverloads
fun lars(
  schedule: LearningRateSchedule,
  momentum: Double = 0.9,
  weightDecay: Double = 1e-6,
  eta: Double = 0.001,
  nesterov: Boolean = false,
  exclude: ParameterFilter = ParameterFilter.BIASES_AND_NORMALIZATION,
): Lars = Lars(schedule, momentum, weightDecay, eta, nesterov, exclude)
