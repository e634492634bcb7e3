package io.github.kontrast.dsl.plot

import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.ggtitle
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorManual
import org.jetbrains.letsPlot.scale.scaleXContinuous
import org.jetbrains.letsPlot.themes.theme

/** Matplotlib's first two default colours, which document 001's figure shows (train blue, val orange). */
internal val SERIES_COLOURS = listOf("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")

/**
 * Document 001's plot_history: the values of [keys] (default: training and validation loss) per
 * epoch as lines, titled [title], with the legend [labels] ("train", "val") at the upper right.
 * [epochs] numbers the x axis (default 1, 2, ...). Missing values (NaN, e.g. no validation in
 * some epoch) leave a gap.
 */
@JvmOverloads
fun plotHistory(
  history: Map<String, List<Double>>,
  title: String = "Training and Validation Loss",
  keys: List<String> = listOf("loss", "val_loss"),
  labels: List<String> = defaultLabels(keys),
  epochs: List<Int>? = null,
  yLabel: String = if (keys.all { it.removePrefix("val_") == "loss" }) "loss" else keys.first().removePrefix("val_"),
): Plot {
  require(keys.isNotEmpty()) { "keys must name at least one series, got none" }
  require(labels.size == keys.size) { "labels must have one entry per key: ${keys.size} keys $keys but ${labels.size} labels $labels" }
  require(keys.size <= SERIES_COLOURS.size) { "keys can name at most ${SERIES_COLOURS.size} series, got ${keys.size}" }
  val series = keys.map { key ->
    history[key] ?: throw IllegalArgumentException("history has no key '$key'; it has ${history.keys}")
  }
  val length = series.maxOf { it.size }
  require(length > 0) { "history has no epochs for $keys: nothing to plot" }
  val xs = epochs ?: List(length) { it + 1 }
  require(xs.size == length) { "epochs must have one number per recorded epoch ($length), got ${xs.size}" }

  val epochColumn = mutableListOf<Int>()
  val valueColumn = mutableListOf<Double?>()
  val seriesColumn = mutableListOf<String>()
  series.forEachIndexed { s, values ->
    values.forEachIndexed { e, v ->
      epochColumn += xs[e]
      valueColumn += v.takeIf { it.isFinite() }
      seriesColumn += labels[s]
    }
  }
  val data = mapOf("epoch" to epochColumn, "value" to valueColumn, "series" to seriesColumn)
  return letsPlot(data) { x = "epoch"; y = "value"; color = "series" } +
    geomLine(size = 1.2) +
    geomPoint(size = 2.5) +
    scaleColorManual(values = SERIES_COLOURS.take(keys.size), limits = labels, name = "") +
    // whole epochs only, written as integers: Lets-Plot would otherwise label 1.0, 1.5, 2.0...
    scaleXContinuous(breaks = xs.distinct(), format = "d") +
    ggtitle(title) +
    labs(x = "epoch", y = yLabel) +
    theme().legendPosition(1, 1).legendJustification(1, 1)
}

/** "train" and "val" for loss/val_loss, as document 001's legend; a key's own name otherwise. */
private fun defaultLabels(keys: List<String>): List<String> {
  if (keys == listOf("loss", "val_loss")) return listOf("train", "val")
  return keys.map { k -> if (k.startsWith("val_")) "val ${k.removePrefix("val_")}" else "train $k" }
}
