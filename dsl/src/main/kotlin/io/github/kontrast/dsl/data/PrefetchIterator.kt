package io.github.kontrast.dsl.data

import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * Computes batches 0 until [count] with [produce] on one background thread, at most [capacity]
 * ahead of the consumer, and hands them over in order. An exception in [produce] is rethrown by
 * [next] as a [BatchPipelineException] with the original as its cause. [close] stops the worker
 * and waits for it, so after close no transform runs any more.
 */
internal class PrefetchIterator(
  private val count: Int,
  capacity: Int,
  private val produce: (Int) -> Batch,
) : BatchIterator {
  private sealed class Item {
    class Value(val batch: Batch) : Item()
    class Failure(val index: Int, val error: Throwable) : Item()
    object End : Item()
  }

  init {
    require(count >= 0) { "count must be >= 0, got $count" }
    require(capacity > 0) { "capacity must be > 0, got $capacity" }
  }

  private val queue = ArrayBlockingQueue<Item>(capacity)
  // read once: with no listener the worker times nothing
  private val timing: PrefetchTiming.Listener? = PrefetchTiming.listener
  @Volatile private var closed = false
  private var finished = false
  private var peeked: Item? = null

  /** The background thread; visible to tests, which check that [close] stops it. */
  internal val worker: Thread = Thread(::work, "kontrast-batches-${serial.incrementAndGet()}").apply {
    isDaemon = true // a consumer that forgets close() must not keep the JVM alive
    start()
  }

  private fun work() {
    try {
      for (i in 0 until count) {
        if (closed) return
        val item = try {
          if (timing == null) {
            Item.Value(produce(i))
          } else {
            val start = System.nanoTime()
            Item.Value(produce(i)).also { timing.batchMade(i, System.nanoTime() - start) }
          }
        } catch (e: Throwable) {
          if (closed) return // the failure is a consequence of close() interrupting us
          Item.Failure(i, e)
        }
        queue.put(item)
        if (item is Item.Failure) return
      }
      queue.put(Item.End)
    } catch (_: InterruptedException) {
      // close() interrupted a blocked put: stop quietly
    }
  }

  override fun hasNext(): Boolean {
    if (closed || finished) return false
    if (peeked == null) {
      peeked = try {
        queue.take()
      } catch (e: InterruptedException) {
        close()
        Thread.currentThread().interrupt()
        throw IllegalStateException("interrupted while waiting for the next batch", e)
      }
    }
    if (peeked === Item.End) {
      finished = true
      return false
    }
    return true
  }

  override fun next(): Batch {
    if (!hasNext()) throw NoSuchElementException(if (closed) "the batch iterator was closed" else "no more batches")
    val item = peeked
    peeked = null
    return when (item) {
      is Item.Value -> item.batch
      is Item.Failure -> {
        finished = true
        close()
        throw BatchPipelineException("computing batch ${item.index} of $count failed: ${item.error}", item.error)
      }
      else -> throw IllegalStateException("unexpected queue item $item")
    }
  }

  /** Stops the worker and waits for it; may be called from another thread than the consumer's. */
  override fun close() {
    if (closed) return
    closed = true
    worker.interrupt()
    queue.clear()
    // A transform that ignores interrupts may still be running; wait for it, but not forever.
    worker.join(TimeUnit.SECONDS.toMillis(30))
    queue.clear()
    // wakes a consumer blocked in hasNext() on another thread: it sees the end
    queue.offer(Item.End)
  }

  private companion object {
    val serial = AtomicInteger()
  }
}
