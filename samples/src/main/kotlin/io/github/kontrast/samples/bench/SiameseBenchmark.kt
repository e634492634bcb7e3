package io.github.kontrast.samples.bench

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.BatchResult
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.siamese
import java.util.SplittableRandom

/**
 * Document 001's training step, hand-written in TensorFlow Java and through Kontrast's engine
 * (`siamese { }` with document 001's defaults, `model.fit`), on the same random batches. Each side
 * runs [warmup] steps that are not counted (graph optimisation, first allocations), then [steps]
 * timed steps; prints both medians and the engine's overhead, and returns the figures.
 *
 * The data are uniform random pixels and labels: the timing of a step does not depend on them.
 */
fun runSiameseBenchmark(steps: Int = 50, warmup: Int = 5, batchSize: Int = 64): BenchmarkResult {
  require(steps > 0) { "steps: expected a number of timed steps > 0, got $steps" }
  require(warmup >= 0) { "warmup: expected a number of warm-up steps >= 0, got $warmup" }
  require(batchSize > 0) { "batchSize: expected a batch size > 0, got $batchSize" }
  val total = steps + warmup
  val pairs = RandomPairs(total * batchSize, seed = 1L)

  println("Siamese benchmark: document 001's CNN, batch $batchSize, $warmup warm-up + $steps timed steps per side")
  val handWritten = timeHandWritten(pairs, total, warmup, batchSize)
  println("  hand-written TF Java graph: $handWritten")
  val (engine, engineRunOnly) = timeEngine(pairs, warmup, batchSize)
  println("  Kontrast engine (fit):      $engine")
  println("    of which Session.run:     $engineRunOnly")
  val result = BenchmarkResult(batchSize, warmup, handWritten, engine, engineRunOnly)
  println("  engine overhead (medians):  %+.1f %%".format(result.overheadPercent))
  return result
}

/** `kotlin ... SiameseBenchmarkKt [steps] [warmup] [batchSize]`; the launcher calls [runSiameseBenchmark] directly. */
fun main(args: Array<String>) {
  fun arg(i: Int, name: String, default: Int): Int =
    args.getOrNull(i)?.let { it.toIntOrNull() ?: throw IllegalArgumentException("$name: expected an integer, got '$it'") } ?: default
  runSiameseBenchmark(arg(0, "steps", 50), arg(1, "warmup", 5), arg(2, "batchSize", 64))
}

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

  fun dataset(): ArrayDataset = ArrayDataset(
    Batch.FIRST to FloatHostArray(first, intArrayOf(count, 28, 28, 1)),
    Batch.SECOND to FloatHostArray(second, intArrayOf(count, 28, 28, 1)),
    Batch.LABEL to FloatHostArray(labels, intArrayOf(count)),
  )
}

private const val PIXELS = 28 * 28

/** The hand-written loop: copy a shuffled batch out of the host arrays, run one step, read the loss. */
private fun timeHandWritten(pairs: RandomPairs, total: Int, warmup: Int, batchSize: Int): StepTimes {
  val order = IntArray(pairs.count) { it }.also { shuffle(it, SplittableRandom(2L)) }
  val a = FloatArray(batchSize * PIXELS)
  val b = FloatArray(batchSize * PIXELS)
  val y = FloatArray(batchSize)
  val times = ArrayList<Double>()
  HandWrittenSiamese(seed = 3L).use { net ->
    for (s in 0 until total) {
      val t0 = System.nanoTime()
      for (k in 0 until batchSize) {
        val i = order[s * batchSize + k]
        System.arraycopy(pairs.first, i * PIXELS, a, k * PIXELS, PIXELS)
        System.arraycopy(pairs.second, i * PIXELS, b, k * PIXELS, PIXELS)
        y[k] = pairs.labels[i]
      }
      val loss = net.step(a, b, y, s + 1L)
      check(loss.isFinite()) { "hand-written step ${s + 1}: the loss is $loss" }
      if (s >= warmup) times += (System.nanoTime() - t0) / 1e6
    }
  }
  return StepTimes(times)
}

/**
 * The engine: document 001's model from `siamese { }` trained one epoch over the same pairs.
 * A step's time is the interval between consecutive batch-end callbacks, so it includes
 * everything `fit` does per batch, not only its Session.run.
 */
private fun timeEngine(pairs: RandomPairs, warmup: Int, batchSize: Int): Pair<StepTimes, StepTimes> {
  val intervals = ArrayList<Double>()
  val runOnly = ArrayList<Double>()
  val timer = object : Callback() {
    private var last = 0L

    override fun onEpochBegin(epoch: Int, control: TrainingControl) {
      last = System.nanoTime()
    }

    override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
      val now = System.nanoTime()
      if (batch.batchIndex >= warmup) {
        intervals += (now - last) / 1e6
        runOnly += batch.millis
      }
      last = now
    }
  }
  siamese {
    seed = 3L
    quiet = true
    optimizer = adam(1e-3)
  }.use { model ->
    model.fit(pairs.dataset(), epochs = 1, batchSize = batchSize, callbacks = listOf(timer))
  }
  return StepTimes(intervals) to StepTimes(runOnly)
}

private fun shuffle(values: IntArray, random: SplittableRandom) {
  for (i in values.size - 1 downTo 1) {
    val j = random.nextInt(i + 1)
    val t = values[i]; values[i] = values[j]; values[j] = t
  }
}
