package io.github.kontrast.dsl.engine

import me.tongfei.progressbar.ConsoleProgressBarConsumer
import me.tongfei.progressbar.ProgressBar
import me.tongfei.progressbar.ProgressBarBuilder
import me.tongfei.progressbar.ProgressBarStyle
import java.io.PrintStream
import java.util.Locale

/**
 * What fit shows: with [Verbosity.PROGRESS_BAR] a bar per epoch (only when a console is attached,
 * since carriage returns garble logs and notebooks) with the running loss, its terms and the
 * throughput in the pipeline's [unit]; from [Verbosity.EPOCHS] up a Keras-like line per epoch.
 */
internal class Progress(
  private val verbosity: Verbosity,
  private val unit: String,
  private val termKeys: List<String>,
  private val out: PrintStream = System.out,
) {
  private var bar: ProgressBar? = null
  private var started = 0L

  fun epochBegin(epoch: Int, totalEpochs: Int, steps: Int) {
    started = System.nanoTime()
    if (verbosity != Verbosity.PROGRESS_BAR || System.console() == null) return
    bar = ProgressBarBuilder()
      .setTaskName("Epoch $epoch/$totalEpochs")
      .setInitialMax(steps.toLong())
      .setStyle(ProgressBarStyle.ASCII)
      .setUpdateIntervalMillis(250)
      .setConsumer(ConsoleProgressBarConsumer(out))
      .build()
  }

  fun batchEnd(done: Int, stats: StatsAccumulator, examplesPerSecond: Double) {
    val b = bar ?: return
    b.stepTo(done.toLong())
    val terms = termKeys.indices.joinToString("") { String.format(Locale.ROOT, ", %s %.4f", termKeys[it], stats.mean(it + 1)) }
    b.setExtraMessage(String.format(Locale.ROOT, " loss %.4f%s, %.0f %s/s", stats.loss(), terms, examplesPerSecond, unit))
  }

  fun epochEnd(epoch: Int, totalEpochs: Int, steps: Int, examples: Long, stepMillis: Double, logs: Map<String, Double>) {
    bar?.close()
    bar = null
    if (verbosity == Verbosity.SILENT) return
    val seconds = (System.nanoTime() - started) / 1e9
    val perStep = if (steps > 0) seconds * 1000 / steps else 0.0
    // throughput over the training steps only, as the progress bar shows it (validation excluded)
    val throughput = if (stepMillis > 0) examples / (stepMillis / 1000) else 0.0
    val values = logs.entries.joinToString("") { String.format(Locale.ROOT, " - %s: %.4f", it.key, it.value) }
    out.println(
      String.format(Locale.ROOT, "Epoch %d/%d - %d steps - %.0fs %.0fms/step %.0f %s/s%s", epoch, totalEpochs, steps, seconds, perStep, throughput, unit, values),
    )
  }

  fun close() {
    bar?.close()
    bar = null
  }
}
