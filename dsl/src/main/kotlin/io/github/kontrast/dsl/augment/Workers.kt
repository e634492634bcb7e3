package io.github.kontrast.dsl.augment

import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.atomic.AtomicInteger

/**
 * Runs per-example work on several threads: the calling thread (the prefetch thread, in a
 * [ViewsDataset]) takes one share and pooled daemon threads the others. Example k goes to worker
 * k mod n, so the shares are even; since every example has its own generator, the split changes
 * nothing in the result.
 */
internal object Workers {
  private val serial = AtomicInteger()

  // cached: threads are made on demand and end after a minute idle; daemons never keep the JVM alive
  private val pool: ExecutorService = Executors.newCachedThreadPool { r ->
    Thread(r, "kontrast-augment-${serial.incrementAndGet()}").apply { isDaemon = true }
  }

  fun forEach(count: Int, workers: Int, body: (Int) -> Unit) {
    require(workers > 0) { "workers must be > 0, got $workers" }
    val n = minOf(workers, count)
    if (n <= 1) {
      for (k in 0 until count) body(k)
      return
    }
    val futures: List<Future<*>> = (1 until n).map { w -> pool.submit { var k = w; while (k < count) { body(k); k += n } } }
    var failure: Throwable? = null
    try {
      var k = 0
      while (k < count) { body(k); k += n }
    } catch (e: Throwable) {
      failure = e
    }
    for (f in futures) {
      try {
        f.get()
      } catch (e: java.util.concurrent.ExecutionException) {
        if (failure == null) failure = e.cause ?: e
      }
    }
    failure?.let { throw it }
  }
}
