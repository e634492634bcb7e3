package io.github.kontrast.dsl.engine

/**
 * Hooks into [Trainer.fit]. Override what you need; every method does nothing by default (an open
 * class rather than an interface with defaults, so that Java subclasses stay short).
 */
open class Callback {
  /** Called once at the start of [Trainer.fit], before the first epoch. */
  open fun onTrainBegin(control: TrainingControl) {}

  /** @param epoch the 1-based number of the epoch about to run */
  open fun onEpochBegin(epoch: Int, control: TrainingControl) {}

  /** Called after every training step, with its [BatchResult]. */
  open fun onBatchEnd(batch: BatchResult, control: TrainingControl) {}

  /**
   * Values this callback measures for the epoch (a monitor's reading), recorded in [History] and on
   * the epoch line beside the trainer's: called after the epoch's training and validation, before
   * [onEpochEnd]. A key the trainer already has is refused.
   * @param epoch the 1-based number of the epoch just trained
   */
  open fun epochValues(epoch: Int): Map<String, Double> = emptyMap()

  /** @param logs this epoch's values, e.g. loss, pair_accuracy, val_loss, val_pair_accuracy */
  open fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {}

  /** Called once when [Trainer.fit] returns normally (after the last epoch, or after a stop), with the run's [History]. */
  open fun onTrainEnd(history: History) {}
}

/**
 * One finished training step.
 * @property step the number of updates done so far, over the whole run (1 after the first)
 * @property epoch the 1-based number of the epoch the step belongs to
 * @property batchIndex 0-based position of the batch in its epoch
 * @property size examples in the batch
 * @property loss the batch's loss
 * @property millis wall time of the step, in milliseconds
 */
class BatchResult(val step: Long, val epoch: Int, val batchIndex: Int, val size: Int, val loss: Double, val millis: Double)

/** Lets a callback stop training after the current epoch (or batch) and save the weights. */
interface TrainingControl {
  /** Ask fit to stop at the end of the current batch. */
  fun stopTraining()
  /** True once [stopTraining] has been called in this fit. */
  val stopRequested: Boolean
  /** Saves a checkpoint of the current state to [path]. */
  fun save(path: java.nio.file.Path)
}
