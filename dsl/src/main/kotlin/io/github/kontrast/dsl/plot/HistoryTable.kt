package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.engine.History
import java.util.Locale

/**
 * A training run's values as a table to read: one row per key, one column per epoch, values to
 * [digits] decimals. Each key is followed by its `val_` twin, so training and validation sit one
 * under the other. [toString] is the plain-text table; a notebook shows it as an HTML table.
 *
 * @property digits decimals printed per value, 0 to 12; 4 by default.
 */
class HistoryTable(history: Map<String, List<Double>>, epochs: List<Int>, val digits: Int = 4) {
  /** Epoch numbers, the column headers. */
  val epochs: List<Int> = epochs.toList()

  /** Key to values per epoch, in display order. */
  val rows: Map<String, List<Double>>

  init {
    require(digits in 0..12) { "digits must be in 0..12, got $digits" }
    for ((key, values) in history) {
      require(values.size == epochs.size) { "'$key' has ${values.size} values for ${epochs.size} epochs $epochs" }
    }
    val ordered = LinkedHashMap<String, List<Double>>()
    for ((key, values) in history) {
      if (key.startsWith("val_") && key.removePrefix("val_") in history) continue // placed after its twin
      ordered[key] = values
      history["val_$key"]?.let { ordered["val_$key"] = it }
    }
    rows = ordered
  }

  /** [value] as the table prints it; a missing value (NaN) is a dash. */
  fun format(value: Double): String = if (value.isNaN()) "-" else String.format(Locale.ROOT, "%.${digits}f", value)

  /** The column headers: "epoch 1", "epoch 2", ... */
  val headers: List<String> get() = epochs.map { "epoch $it" }

  override fun toString(): String {
    val cells = rows.mapValues { (_, values) -> values.map(::format) }
    val keyWidth = maxOf(3, rows.keys.maxOfOrNull { it.length } ?: 0)
    val widths = headers.mapIndexed { e, h -> maxOf(h.length, cells.values.maxOfOrNull { it[e].length } ?: 0) }
    val sb = StringBuilder()
    sb.append("".padEnd(keyWidth))
    headers.forEachIndexed { e, h -> sb.append("  ").append(h.padStart(widths[e])) }
    sb.append('\n')
    for ((key, values) in cells) {
      sb.append(key.padEnd(keyWidth))
      values.forEachIndexed { e, v -> sb.append("  ").append(v.padStart(widths[e])) }
      sb.append('\n')
    }
    return sb.toString()
  }
}

/** This run's [HistoryTable]: History's values per epoch, readable. */
@JvmOverloads
fun History.table(digits: Int = 4): HistoryTable = HistoryTable(history, epochs, digits)
