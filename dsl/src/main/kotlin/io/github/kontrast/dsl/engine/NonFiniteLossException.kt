package io.github.kontrast.dsl.engine

/** Thrown by fit when a step's loss is NaN or infinite; the last checkpoint written before it is kept. */
class NonFiniteLossException(val step: Long, val epoch: Int, val loss: Double) :
  RuntimeException("loss became $loss at step $step (epoch $epoch); training stopped, the last checkpoint written before this step is kept")
