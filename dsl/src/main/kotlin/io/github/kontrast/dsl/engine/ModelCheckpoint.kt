package io.github.kontrast.dsl.engine

import java.nio.file.Path

/**
 * Saves a checkpoint after each epoch, as Keras' ModelCheckpoint: to [path], or with [onlyBest]
 * only when [monitor] improved (lower, unless [maximize]). fit's own `checkpoint` argument saves
 * every epoch; this callback is for keeping the best one.
 *
 * @property path the checkpoint file, overwritten atomically at each save.
 * @property monitor the epoch log key compared when [onlyBest]; "val_loss" by default.
 * @property onlyBest whether to save only when [monitor] improved; false saves after every epoch.
 * @property maximize whether larger values of [monitor] are better; false (a loss) by default.
 */
class ModelCheckpoint @JvmOverloads constructor(
  val path: Path,
  val monitor: String = "val_loss",
  val onlyBest: Boolean = false,
  val maximize: Boolean = false,
) : Callback() {
  private var best = Double.NaN

  /** The epoch of the last save, or 0. */
  var savedEpoch: Int = 0
    private set

  /** Forgets the best value seen, so that one instance can serve several fits. */
  override fun onTrainBegin(control: TrainingControl) {
    best = Double.NaN
  }

  override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {
    if (onlyBest) {
      val value = logs[monitor] ?: throw IllegalArgumentException("ModelCheckpoint monitors '$monitor' but the epoch logs have ${logs.keys}")
      val better = best.isNaN() || (if (maximize) value > best else value < best)
      if (!better) return
      best = value
    }
    control.save(path)
    savedEpoch = epoch
  }
}
