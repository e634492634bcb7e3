package io.github.kontrast.dsl.optim

/**
 * Multiplies the learning rate by [gamma] at each milestone, as PyTorch's `MultiStepLR`:
 * from step `milestones[i]` on, the rate is `initialRate * gamma^(i + 1)`.
 *
 * @property initialRate the rate before the first milestone, > 0.
 * @property gamma the factor applied at each milestone, in (0, 1].
 */
class MilestoneSchedule(val initialRate: Double, milestones: List<Long>, val gamma: Double) : LearningRateSchedule {
  /** The steps at which the rate drops, strictly increasing. */
  val milestones: List<Long> = milestones.toList()

  init {
    requirePositive("initialRate", initialRate)
    require(this.milestones.isNotEmpty()) { "milestones: expected at least one step, got none" }
    require(this.milestones.all { it > 0 }) { "milestones: expected steps > 0, got ${this.milestones}" }
    require(this.milestones.zipWithNext().all { (a, b) -> a < b }) {
      "milestones: expected strictly increasing steps, got ${this.milestones}"
    }
    require(gamma.isFinite() && gamma > 0.0 && gamma <= 1.0) { "gamma: expected a factor in (0, 1], got $gamma" }
  }

  override fun at(step: Long): Double {
    requireStep(step)
    val passed = milestones.count { it <= step }
    return initialRate * Math.pow(gamma, passed.toDouble())
  }

  override fun toString(): String = "step($initialRate, milestones=$milestones, gamma=$gamma)"
}
