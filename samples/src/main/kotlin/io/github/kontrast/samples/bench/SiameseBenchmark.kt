package io.github.kontrast.samples.bench

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.BatchResult
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.siamese
import java.util.SplittableRandom

/**
 * Document 001's training step, hand-written in TensorFlow Java and through Kontrast's engine
 * (`siamese { }` with document 001's defaults, `model.fit`), on the same random batches. Each side
 * first runs [warmup] steps that are not counted (graph optimisation, first allocations), then
 * [steps] timed steps. The timed steps alternate between the two sides in a few rounds, so that a
 * change in the machine's load during the run falls on both alike. Prints both medians and the
 * engine's overhead, and returns the figures.
 *
 * The data are uniform random pixels and labels: the timing of a step does not depend on them.
 */
fun runSiameseBenchmark(steps: Int = 50, warmup: Int = 5, batchSize: Int = 64): BenchmarkResult {
  require(steps > 0) { "steps: expected a number of timed steps > 0, got $steps" }
  require(warmup >= 0) { "warmup: expected a number of warm-up steps >= 0, got $warmup" }
  require(batchSize > 0) { "batchSize: expected a batch size > 0, got $batchSize" }
  val pairs = RandomPairs((steps + warmup) * batchSize, seed = 1L)
  val rounds = minOf(ROUNDS, steps)
  // round r times steps [bounds[r], bounds[r + 1]) after the warm-up
  val bounds = IntArray(rounds + 1) { warmup + it * steps / rounds }

  println("Siamese benchmark: document 001's CNN, batch $batchSize, $warmup warm-up + $steps timed steps per side, in $rounds rounds")
  val hand = ArrayList<Double>()
  val engine = ArrayList<Double>()
  val engineRunOnly = ArrayList<Double>()
  val engineWait = ArrayList<Double>()
  HandWrittenLoop(pairs, batchSize).use { handLoop ->
    EngineLoop(pairs, batchSize).use { engineLoop ->
      handLoop.run(0, warmup)
      engineLoop.run(0, warmup)
      for (r in 0 until rounds) {
        hand += handLoop.run(bounds[r], bounds[r + 1])
        val times = engineLoop.run(bounds[r], bounds[r + 1])
        engine += times.steps
        engineRunOnly += times.runOnly
        engineWait += times.waited
      }
    }
  }
  val result = BenchmarkResult(batchSize, warmup, StepTimes(hand), StepTimes(engine), StepTimes(engineRunOnly), StepTimes(engineWait))
  println("  hand-written TF Java graph: ${result.handWritten}")
  println("  Kontrast engine (fit):      ${result.engine}")
  println("    of which Session.run:     ${result.engineRunOnly}")
  println("    getting the batch:        ${result.engineWait}")
  println("  engine overhead (medians):  %+.1f %%".format(result.overheadPercent))
  return result
}

private const val ROUNDS = 5

/** [count] random image pairs with 0/1 labels, as host arrays shared by both sides. */
private class RandomPairs(val count: Int, seed: Long) {
  val first = FloatArray(count * PIXELS)
  val second = FloatArray(count * PIXELS)
  val labels = FloatArray(count)

  init {
    val random = SplittableRandom(seed)
    for (i in first.indices) first[i] = random.nextDouble().toFloat()
    for (i in second.indices) second[i] = random.nextDouble().toFloat()
    for (i in labels.indices) labels[i] = random.nextInt(2).toFloat()
  }

  /** Pairs [from] until [until] as a dataset (copies). */
  fun slice(from: Int, until: Int): ArrayDataset {
    val n = until - from
    return ArrayDataset(
      Batch.FIRST to FloatHostArray(first.copyOfRange(from * PIXELS, until * PIXELS), intArrayOf(n, 28, 28, 1)),
      Batch.SECOND to FloatHostArray(second.copyOfRange(from * PIXELS, until * PIXELS), intArrayOf(n, 28, 28, 1)),
      Batch.LABEL to FloatHostArray(labels.copyOfRange(from, until), intArrayOf(n)),
    )
  }
}

private const val PIXELS = 28 * 28

/** The hand-written loop: copy a batch out of the host arrays, run one step, read the loss. */
private class HandWrittenLoop(private val pairs: RandomPairs, private val batchSize: Int) : AutoCloseable {
  private val net = HandWrittenSiamese(seed = 3L)
  private val order = IntArray(pairs.count) { it }.also { shuffle(it, SplittableRandom(2L)) }
  private val a = FloatArray(batchSize * PIXELS)
  private val b = FloatArray(batchSize * PIXELS)
  private val y = FloatArray(batchSize)

  /** Runs steps [from] until [until] (0-based over the whole benchmark) and returns their times. */
  fun run(from: Int, until: Int): List<Double> = (from until until).map { s ->
    val t0 = System.nanoTime()
    for (k in 0 until batchSize) {
      val i = order[s * batchSize + k]
      System.arraycopy(pairs.first, i * PIXELS, a, k * PIXELS, PIXELS)
      System.arraycopy(pairs.second, i * PIXELS, b, k * PIXELS, PIXELS)
      y[k] = pairs.labels[i]
    }
    val loss = net.step(a, b, y, s + 1L)
    check(loss.isFinite()) { "hand-written step ${s + 1}: the loss is $loss" }
    (System.nanoTime() - t0) / 1e6
  }

  override fun close() = net.close()
}

/**
 * The engine: document 001's model from `siamese { }`, trained by `fit` for one epoch over the
 * pairs of each round. A step's time is the interval between consecutive batch-end callbacks, so
 * it includes everything `fit` does per batch, not only its Session.run.
 */
private class EngineLoop(private val pairs: RandomPairs, private val batchSize: Int) : AutoCloseable {
  private val model = siamese {
    seed = 3L
    verbosity = Verbosity.SILENT
    loss = contrastive(halfFactor = true)
    optimizer = adam(1e-3)
  }

  /** What [run] measured, per step. */
  class Times(val steps: List<Double>, val runOnly: List<Double>, val waited: List<Double>)

  /**
   * Trains on the batches of steps [from] until [until]; returns the full step times, the engine's
   * Session.run times and the time the step took to get its batch (gathered on the training thread:
   * document 001 has no transforms, so nothing is prefetched).
   */
  fun run(from: Int, until: Int): Times {
    val intervals = ArrayList<Double>()
    val runOnly = ArrayList<Double>()
    val timer = object : Callback() {
      private var last = 0L

      override fun onEpochBegin(epoch: Int, control: TrainingControl) {
        last = System.nanoTime()
      }

      override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
        val now = System.nanoTime()
        intervals += (now - last) / 1e6
        runOnly += batch.millis
        last = now
      }
    }
    val feed = FeedTiming()
    feed.use {
      if (until > from) model.fit(feed.wrap(pairs.slice(from * batchSize, until * batchSize)), epochs = 1, batchSize = batchSize, callbacks = listOf(timer))
    }
    return Times(intervals, runOnly, feed.waitedMs)
  }

  override fun close() = model.close()
}

private fun shuffle(values: IntArray, random: SplittableRandom) {
  for (i in values.size - 1 downTo 1) {
    val j = random.nextInt(i + 1)
    val t = values[i]; values[i] = values[j]; values[j] = t
  }
}
