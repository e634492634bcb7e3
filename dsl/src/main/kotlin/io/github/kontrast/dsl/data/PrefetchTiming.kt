package io.github.kontrast.dsl.data

/**
 * A measurement hook for benchmarks: while [listener] is set, the background thread of every batch
 * iterator started afterwards ([Dataset.map], [io.github.kontrast.dsl.augment.ViewsDataset]) reports
 * how long it took to make each batch, augmentations included. Off (null) by default: an iterator
 * then reads the field once when it starts and times nothing.
 */
object PrefetchTiming {
  /** Receives the time each batch took to make, on the thread that made it. */
  fun interface Listener {
    /** Batch [index] of its epoch took [nanos] nanoseconds of wall time to make. */
    fun batchMade(index: Int, nanos: Long)
  }

  /** The listener new batch iterators report to; null (the default) turns the timing off. */
  @Volatile
  @JvmStatic
  var listener: Listener? = null
}
