package io.github.kontrast.dsl.engine

/**
 * Stops [Trainer.fit] after [maxSteps] updates or [maxSeconds] of training, whichever comes first
 * (null: no limit of that kind), at the end of a batch: Wolfram's `MaxTrainingRounds` and
 * `TimeGoal`. The epoch it stops in is recorded as far as it went. Time counts from the start of
 * each fit, steps over the whole run (a restored model continues its count).
 *
 * @property maxSteps updates over the whole run after which training stops; null: no step limit.
 * @property maxSeconds seconds of training per fit after which training stops; null: no time limit.
 */
class TrainingLimit @JvmOverloads constructor(val maxSteps: Long? = null, val maxSeconds: Double? = null) : Callback() {
  init {
    require(maxSteps == null || maxSteps > 0) { "maxSteps must be > 0, got $maxSteps" }
    require(maxSeconds == null || maxSeconds > 0) { "maxSeconds must be > 0, got $maxSeconds" }
  }

  private var started = 0L

  /** Why training stopped: "steps", "time" or null while it has not. */
  var reached: String? = null
    private set

  /** Starts the clock and clears [reached]. */
  override fun onTrainBegin(control: TrainingControl) {
    started = System.nanoTime()
    reached = null
  }

  /** Stops training when a limit is reached, recording which in [reached]. */
  override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
    reached = when {
      maxSteps != null && batch.step >= maxSteps -> "steps"
      maxSeconds != null && (System.nanoTime() - started) / 1e9 >= maxSeconds -> "time"
      else -> return
    }
    control.stopTraining()
  }

  companion object {
    /** At most [n] updates in all. */
    @JvmStatic fun steps(n: Long): TrainingLimit = TrainingLimit(maxSteps = n)

    /** At most [seconds] of training per fit, as Wolfram's TimeGoal. */
    @JvmStatic fun seconds(seconds: Double): TrainingLimit = TrainingLimit(maxSeconds = seconds)
  }
}
