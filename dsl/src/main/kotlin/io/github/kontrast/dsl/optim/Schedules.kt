package io.github.kontrast.dsl.optim

/** Factories for the learning-rate schedules, callable from Kotlin and Java alike. */
object Schedules {
  /** The same [learningRate] at every step. */
  @JvmStatic
  fun constant(learningRate: Double): LearningRateSchedule = ConstantSchedule(learningRate)

  /** [initialRate] multiplied by [gamma] every [everySteps] steps (PyTorch `StepLR`, gamma 0.1 by default). */
  @JvmStatic
  @JvmOverloads
  fun step(initialRate: Double, everySteps: Long, gamma: Double = 0.1): LearningRateSchedule =
    StepDecaySchedule(initialRate, everySteps, gamma)

  /** [initialRate] multiplied by [gamma] at each of [milestones] (PyTorch `MultiStepLR`, gamma 0.1 by default). */
  @JvmStatic
  @JvmOverloads
  fun step(initialRate: Double, milestones: List<Long>, gamma: Double = 0.1): LearningRateSchedule =
    MilestoneSchedule(initialRate, milestones, gamma)

  /** Linear warmup to [peak] over [warmupSteps], cosine to [floor] at [totalSteps]; see [WarmupCosineSchedule]. */
  @JvmStatic
  @JvmOverloads
  fun warmupCosine(peak: Double, warmupSteps: Long, totalSteps: Long, floor: Double = 0.0): LearningRateSchedule =
    WarmupCosineSchedule(peak, warmupSteps, totalSteps, floor)
}
