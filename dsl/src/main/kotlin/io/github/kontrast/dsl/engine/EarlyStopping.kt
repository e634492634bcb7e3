package io.github.kontrast.dsl.engine

/**
 * Stops training when [monitor] has not improved by more than [minDelta] for [patience] epochs,
 * as Keras' EarlyStopping (mode "min" unless [maximize]).
 *
 * @property monitor the epoch log key watched, e.g. "val_loss" (the default) or "val_pair_accuracy".
 * @property patience epochs without improvement tolerated before stopping; 0, Keras' default, stops at the first.
 * @property minDelta the least change that counts as an improvement; 0 by default.
 * @property maximize whether larger is better (an accuracy) rather than smaller (a loss, the default).
 */
class EarlyStopping @JvmOverloads constructor(
  val monitor: String = "val_loss",
  val patience: Int = 0,
  val minDelta: Double = 0.0,
  val maximize: Boolean = false,
) : Callback() {
  init {
    require(patience >= 0) { "patience must be >= 0, got $patience" }
    require(minDelta >= 0) { "minDelta must be >= 0, got $minDelta" }
  }

  private var best = Double.NaN
  private var wait = 0

  /** The epoch at which it stopped training, or 0. */
  var stoppedEpoch: Int = 0
    private set

  /** Forgets the best value and the epochs waited, so that one instance can serve several fits. */
  override fun onTrainBegin(control: TrainingControl) {
    best = Double.NaN
    wait = 0
    stoppedEpoch = 0
  }

  override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {
    val value = logs[monitor] ?: throw IllegalArgumentException("EarlyStopping monitors '$monitor' but the epoch logs have ${logs.keys}")
    val improved = best.isNaN() || (if (maximize) value > best + minDelta else value < best - minDelta)
    if (improved) {
      best = value
      wait = 0
    } else if (++wait > patience) {
      stoppedEpoch = epoch
      control.stopTraining()
    }
  }
}
