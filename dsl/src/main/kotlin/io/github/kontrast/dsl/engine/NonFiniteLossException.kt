package io.github.kontrast.dsl.engine

/**
 * Thrown by fit when a step's loss is NaN or infinite; the last checkpoint written before it is kept.
 *
 * @property step the 1-based number of the update whose loss was not finite.
 * @property epoch the 1-based number of the epoch it happened in.
 * @property loss the value the loss took: NaN or an infinity.
 */
class NonFiniteLossException(val step: Long, val epoch: Int, val loss: Double) :
  RuntimeException("loss became $loss at step $step (epoch $epoch); training stopped, the last checkpoint written before this step is kept")
