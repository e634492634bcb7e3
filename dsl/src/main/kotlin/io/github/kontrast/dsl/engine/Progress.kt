package io.github.kontrast.dsl.engine

import me.tongfei.progressbar.ConsoleProgressBarConsumer
import me.tongfei.progressbar.ProgressBar
import me.tongfei.progressbar.ProgressBarBuilder
import me.tongfei.progressbar.ProgressBarStyle
import java.io.PrintStream
import java.util.Locale

/**
 * What fit shows on the terminal: unless quiet, a progress bar per epoch (only when a console is
 * attached, since carriage returns garble logs and notebooks) and a Keras-like line per epoch.
 */
internal class Progress(private val quiet: Boolean, private val out: PrintStream = System.out) {
  private var bar: ProgressBar? = null
  private var started = 0L

  fun epochBegin(epoch: Int, totalEpochs: Int, steps: Int) {
    started = System.nanoTime()
    if (quiet || System.console() == null) return
    bar = ProgressBarBuilder()
      .setTaskName("Epoch $epoch/$totalEpochs")
      .setInitialMax(steps.toLong())
      .setStyle(ProgressBarStyle.ASCII)
      .setUpdateIntervalMillis(250)
      .setConsumer(ConsoleProgressBarConsumer(out))
      .build()
  }

  fun batchEnd(done: Int, loss: Double, examplesPerSecond: Double) {
    val b = bar ?: return
    b.stepTo(done.toLong())
    b.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %.0f pairs/s", loss, examplesPerSecond))
  }

  fun epochEnd(epoch: Int, totalEpochs: Int, steps: Int, logs: Map<String, Double>) {
    bar?.close()
    bar = null
    if (quiet) return
    val seconds = (System.nanoTime() - started) / 1e9
    val perStep = if (steps > 0) seconds * 1000 / steps else 0.0
    val values = logs.entries.joinToString("") { String.format(Locale.ROOT, " - %s: %.4f", it.key, it.value) }
    out.println(String.format(Locale.ROOT, "Epoch %d/%d - %d steps - %.0fs %.0fms/step%s", epoch, totalEpochs, steps, seconds, perStep, values))
  }

  fun close() {
    bar?.close()
    bar = null
  }
}
