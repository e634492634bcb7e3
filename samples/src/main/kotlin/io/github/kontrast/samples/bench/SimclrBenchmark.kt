package io.github.kontrast.samples.bench

import io.github.kontrast.dsl.augment.Augmentations
import io.github.kontrast.dsl.augment.views
import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.BatchResult
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.simclr
import kotlin.system.exitProcess

/**
 * What one SimCLR measurement gives: the median step (the interval between two steps' ends, so the
 * wait for data is in it), the process's peak RSS, images per second at that median, the median
 * time to make a batch on the prefetch thread and the median time the step waited for it.
 */
data class SimclrTiming(val medianMs: Double, val peakRssBytes: Long, val imagesPerSecond: Double, val feedMs: Double, val waitMs: Double)

/**
 * SimCLR training steps as `./kontrast simclr-mnist` takes them: the sample's digit views
 * ([Augmentations.digits], made on the dataset's prefetch thread), `simclr { }` with its defaults
 * (the small CNN, projector 128-64, NT-Xent t = 0.5, Adam with warmup + cosine), [batch] images a
 * step; [chunkRows] > 0 computes NT-Xent in row blocks. The images are [BenchInputs] input 0 in
 * [0, 1), as `tools/bench_simclr.py` makes them: a step's time does not depend on the pixels.
 * [warmup] steps first, then [steps] timed, in one epoch.
 */
fun timeSimclr(batch: Int, steps: Int, warmup: Int, chunkRows: Int, seed: Long = 42L): SimclrTiming {
  require(batch > 0 && steps > 0 && warmup >= 0) { "batch, steps, warmup: expected > 0, > 0, >= 0, got $batch, $steps, $warmup" }
  val count = batch * (steps + warmup)
  val pixels = BenchInputs.uniform(0, count * 28 * 28)
  for (i in pixels.indices) pixels[i] = (pixels[i] + 1f) / 2f
  val images = ArrayDataset(Batch.IMAGE to FloatHostArray(pixels, intArrayOf(count, 28, 28, 1)))
  val views = images.views(Augmentations.digits(), seed)
  val stepMs = ArrayList<Double>()
  FeedTiming().use { feed ->
    simclr {
      this.seed = seed
      trainingSteps = (steps + warmup).toLong()
      verbosity = Verbosity.SILENT
      batchSize = batch   // static, so that the loss can take the chunked form
      if (chunkRows > 0) chunkRows(chunkRows) else fullMatrix()
    }.use { model ->
      val timer = object : Callback() {
        private var last = 0L
        override fun onEpochBegin(epoch: Int, control: TrainingControl) { last = System.nanoTime() }
        override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
          val now = System.nanoTime()
          stepMs += (now - last) / 1e6
          last = now
        }
      }
      model.fit(feed.wrap(views), epochs = 1, batchSize = batch, callbacks = listOf(timer))
    }
    val step = StepTimes(stepMs.drop(warmup))
    return SimclrTiming(
      step.median, peakRss(), batch / (step.median / 1000),
      StepTimes(feed.madeMs.toList().drop(warmup)).median, StepTimes(feed.waitedMs.drop(warmup)).median,
    )
  }
}

/**
 * One SimCLR measurement in a JVM of its own: `SimclrBenchmarkKt BATCH STEPS WARMUP CHUNK_ROWS`
 * prints `median_ms peak_rss_bytes images_per_s feed_ms wait_ms` last.
 */
fun main(args: Array<String>) {
  if (args.size != 4) {
    System.err.println("usage: BATCH STEPS WARMUP CHUNK_ROWS")
    exitProcess(2)
  }
  val t = timeSimclr(args[0].toInt(), args[1].toInt(), args[2].toInt(), args[3].toInt())
  println("${t.medianMs} ${t.peakRssBytes} ${t.imagesPerSecond} ${t.feedMs} ${t.waitMs}")
}
