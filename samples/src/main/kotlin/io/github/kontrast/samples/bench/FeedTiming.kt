package io.github.kontrast.samples.bench

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.BatchIterator
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.PrefetchTiming
import java.util.Collections

/**
 * How a training run was fed, per step: [madeMs], the time the background thread took to make
 * each batch (the dsl's [PrefetchTiming] hook: gathering and augmenting), and [waitedMs], the
 * time the training thread spent getting each batch from its iterator (for a prefetching dataset,
 * the wait at the prefetcher's queue; for a plain one, the gathering itself, done on the training
 * thread). Wrap the training set with [wrap] and call [close] when the run is over.
 */
class FeedTiming : AutoCloseable {
  /** Wall time to make each batch on the background thread, in the order they were made. */
  val madeMs: MutableList<Double> = Collections.synchronizedList(ArrayList())

  /** Wall time the training thread waited for each batch, in the order it took them. */
  val waitedMs: MutableList<Double> = ArrayList()

  private val previous = PrefetchTiming.listener

  init {
    PrefetchTiming.listener = PrefetchTiming.Listener { _, nanos -> madeMs += nanos / 1e6 }
  }

  /** [dataset] with its iterators timed from the consumer's side. */
  fun wrap(dataset: Dataset): Dataset = object : Dataset {
    override val size: Int get() = dataset.size
    override fun batch(indices: IntArray): Batch = dataset.batch(indices)
    override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
      val inner = dataset.batches(batchSize, shuffle, seed, epoch, dropLast)
      return object : BatchIterator {
        private var waited = 0L

        override fun hasNext(): Boolean {
          val start = System.nanoTime()
          try {
            return inner.hasNext()
          } finally {
            waited += System.nanoTime() - start
          }
        }

        override fun next(): Batch {
          val start = System.nanoTime()
          val batch = inner.next()
          waitedMs += (waited + System.nanoTime() - start) / 1e6
          waited = 0L
          return batch
        }

        override fun close() = inner.close()
      }
    }
  }

  override fun close() {
    PrefetchTiming.listener = previous
  }
}
