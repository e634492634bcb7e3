package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.engine.History
import org.jetbrains.letsPlot.intern.Plot

/** [plotHistory] of a training run, with its epoch numbers (they continue after a restore). */
@JvmOverloads
fun History.plot(
  title: String = "Training and Validation Loss",
  keys: List<String> = listOf("loss", "val_loss"),
): Plot = plotHistory(history, title, keys, epochs = epochs)
