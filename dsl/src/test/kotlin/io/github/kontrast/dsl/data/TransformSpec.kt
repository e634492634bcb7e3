package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class TransformSpec : FunSpec({
  // example i holds the value i, so a batch shows which examples it has
  fun numbers(n: Int) = ArrayDataset(Batch.IMAGE to FloatHostArray(FloatArray(n) { it.toFloat() }, intArrayOf(n, 1)))
  fun values(b: Batch, name: String = Batch.IMAGE) = b.floats(name).data.toList()

  test("transforms run on a background thread, and batches come out in epoch order") {
    val threads = Collections.synchronizedSet(HashSet<String>())
    val doubled = numbers(10).map { b, _ ->
      threads += Thread.currentThread().name
      b.with(Batch.IMAGE, FloatHostArray(b.floats(Batch.IMAGE).data.map { it * 2 }.toFloatArray(), intArrayOf(b.size, 1)))
    }
    val plain = numbers(10).batches(3, shuffle = true, seed = 5, epoch = 2).asSequence().map { values(it) }.toList()
    val mapped = doubled.batches(3, shuffle = true, seed = 5, epoch = 2).use { it.asSequence().map { b -> values(b) }.toList() }
    mapped shouldBe plain.map { batch -> batch.map { it * 2 } }
    mapped.map { it.size } shouldBe listOf(3, 3, 3, 1)
    threads.single() shouldStartWith "kontrast-batches-"
    threads.single() shouldNotBe Thread.currentThread().name
  }

  test("an exception in the transform surfaces in the consumer with its cause, after the good batches") {
    val boom = IllegalStateException("bad pixel")
    val failing = numbers(10).map { b, _ -> if (values(b).contains(6f)) throw boom else b }
    val it = failing.batches(2, shuffle = false)
    values(it.next()) shouldBe listOf(0f, 1f)
    values(it.next()) shouldBe listOf(2f, 3f)
    values(it.next()) shouldBe listOf(4f, 5f)
    val e = shouldThrow<BatchPipelineException> { it.next() }
    e.cause shouldBe boom
    e.message shouldContain "batch 3 of 5"
    it.hasNext() shouldBe false
    (it as PrefetchIterator).worker.isAlive shouldBe false
  }

  test("closing early stops the worker: no transform runs after close") {
    val calls = AtomicInteger()
    val counting = numbers(1000).map { b, _ -> calls.incrementAndGet(); b }
    val iter = counting.batches(1, shuffle = false) as PrefetchIterator
    repeat(3) { iter.next() }
    iter.close()
    iter.worker.isAlive shouldBe false
    val afterClose = calls.get()
    // consumed 3, at most the queue (2) and the one in hand (1) ahead of that
    afterClose shouldBeLessThanOrEqual 3 + MappedDataset.DEFAULT_PREFETCH + 1
    iter.hasNext() shouldBe false
    shouldThrow<NoSuchElementException> { iter.next() }
    calls.get() shouldBe afterClose
    iter.close() // closing twice is harmless
  }

  test("close stops a worker that is busy inside a blocking transform") {
    val entered = CountDownLatch(1)
    val blocking = numbers(5).map { b, _ ->
      entered.countDown()
      Thread.sleep(60_000) // interrupted by close()
      b
    }
    val it = blocking.batches(1, shuffle = false) as PrefetchIterator
    entered.await(30, TimeUnit.SECONDS) shouldBe true
    it.close()
    it.worker.isAlive shouldBe false
    it.hasNext() shouldBe false
  }

  test("close from another thread wakes a consumer waiting for the next batch") {
    val entered = CountDownLatch(1)
    val slow = numbers(5).map { b, _ ->
      entered.countDown()
      Thread.sleep(60_000) // interrupted by close()
      b
    }
    val iter = slow.batches(1, shuffle = false) as PrefetchIterator
    var answer: Boolean? = null
    val consumer = Thread { answer = iter.hasNext() }
    consumer.start()
    entered.await(30, TimeUnit.SECONDS) shouldBe true
    // let the consumer block in the queue's take(), so that close() has someone to wake
    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
    while (consumer.state != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(1)
    consumer.state shouldBe Thread.State.WAITING
    iter.close()
    consumer.join(30_000)
    consumer.isAlive shouldBe false
    answer shouldBe false
  }

  test("augmentations are repeatable: the same (seed, epoch) gives the same random draws, another epoch others") {
    fun noisy(seed: Long) = numbers(20).map(seed) { b, r ->
      b.with(Batch.IMAGE, FloatHostArray(FloatArray(b.size) { r.nextDouble().toFloat() }, intArrayOf(b.size, 1)))
    }
    fun epoch(ds: Dataset, e: Int) = ds.batches(4, seed = 1, epoch = e).use { it.asSequence().map { b -> values(b) }.toList() }
    val a = epoch(noisy(7), 0)
    epoch(noisy(7), 0) shouldBe a
    epoch(noisy(7), 1) shouldNotBe a
    epoch(noisy(8), 0) shouldNotBe a
    // computing on the caller's thread gives the same batches as the background worker
    epoch((noisy(7) as MappedDataset).withPrefetch(0), 0) shouldBe a
    // random access is repeatable too
    noisy(7).batch(intArrayOf(3, 4)).let { values(it) } shouldBe noisy(7).batch(intArrayOf(3, 4)).let { values(it) }
  }

  test("two augmented views of one batch through the same mechanism, with chained stages") {
    val views = numbers(6)
      .map(1) { b, r ->
        val x = b.floats(Batch.IMAGE).data
        b.with(Batch.VIEW1, FloatHostArray(FloatArray(x.size) { x[it] + r.nextInt(1, 10) * 0.01f }, intArrayOf(b.size, 1)))
          .with(Batch.VIEW2, FloatHostArray(FloatArray(x.size) { x[it] + r.nextInt(1, 10) * 0.01f }, intArrayOf(b.size, 1)))
      }
      .map(2) { b, _ -> b.with(Batch.LABEL, FloatHostArray(FloatArray(b.size) { 1f }, intArrayOf(b.size))) }
    (views as MappedDataset).stageCount shouldBe 2
    views.batches(3, shuffle = false).use { it ->
      val b = it.next()
      b.arrays.keys shouldBe setOf(Batch.IMAGE, Batch.VIEW1, Batch.VIEW2, Batch.LABEL)
      val x = values(b)
      val v1 = values(b, Batch.VIEW1)
      val v2 = values(b, Batch.VIEW2)
      x.indices.forEach { i ->
        (v1[i] - x[i]) shouldBeIn 0.0f..0.1f
        (v2[i] - x[i]) shouldBeIn 0.0f..0.1f
      }
      v1 shouldNotBe v2 // independent draws for the two views (9^-3 chance of equality)
    }
  }

  test("bad arguments name what was expected") {
    shouldThrow<IllegalArgumentException> { numbers(3).map { b, _ -> b }.batches(0) }.message shouldContain "batchSize must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { (numbers(3).map { b, _ -> b } as MappedDataset).withPrefetch(-1) }
      .message shouldContain "prefetch must be >= 0, got -1"
  }
})

private infix fun Float.shouldBeIn(range: ClosedFloatingPointRange<Float>) {
  if (this !in range) throw AssertionError("$this is not in $range")
}
