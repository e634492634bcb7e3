package io.github.kontrast.spark

import java.io.Serializable

/**
 * The work of one barrier task: train one replica (or anything that needs all its peers running at
 * once) on this task's partition. It is serialized to the executors, so it must capture only
 * serializable values.
 */
fun interface ReplicaWorker<T, R> : Serializable {
  /** Runs rank [context]`.rank`'s share on [partition]; the result travels back to the driver, so it must be serializable. */
  fun run(context: ReplicaContext, partition: Iterator<T>): R
}
