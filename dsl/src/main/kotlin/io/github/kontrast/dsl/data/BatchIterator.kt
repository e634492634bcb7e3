package io.github.kontrast.dsl.data

/**
 * The batches of one epoch. Close it when you stop before the end (early stopping, an exception,
 * a NaN loss): a dataset with transforms computes batches on a background thread, and [close]
 * stops that thread. Iterating to the end also releases it, and closing twice is harmless, so
 * `dataset.batches(64).use { for (batch in it) ... }` is always right.
 */
interface BatchIterator : Iterator<Batch>, AutoCloseable {
  /** Stops producing batches; [hasNext] is false afterwards. */
  override fun close()

  companion object {
    /** A [BatchIterator] over batches computed on the caller's thread; [close] just ends it. */
    fun of(batches: Iterator<Batch>): BatchIterator = object : BatchIterator {
      private var closed = false
      override fun hasNext(): Boolean = !closed && batches.hasNext()
      override fun next(): Batch {
        if (closed) throw NoSuchElementException("the batch iterator was closed")
        return batches.next()
      }
      override fun close() { closed = true }
    }
  }
}
