package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.plot.HistoryTable

/**
 * Tables as cell outputs: HTML for Jupyter (an untrusted notebook shows it sanitised, which keeps
 * a table's rows and cells), and the same table as plain text for front ends without HTML.
 */
object SummaryRendering {
  /** A model summary: its Keras-style rows and totals. */
  fun output(summary: ModelSummary): MimeBundle =
    MimeBundle(mapOf("text/html" to html(summary), "text/plain" to summary.toString()))

  /** A training run's values per epoch. */
  fun output(table: HistoryTable): MimeBundle =
    MimeBundle(mapOf("text/html" to html(table), "text/plain" to table.toString()))

  /** A model summary as an HTML table with the same rows and totals as its text form. */
  fun html(summary: ModelSummary): String {
    val sb = StringBuilder()
    sb.append("<table class=\"kontrast-summary\">")
    sb.append("<caption style=\"text-align:left\">Model: <b>").append(escape(summary.title)).append("</b></caption>")
    sb.append("<thead><tr><th style=\"text-align:left\">Layer (type)</th><th style=\"text-align:left\">Output Shape</th>")
    sb.append("<th style=\"text-align:right\">Param #</th></tr></thead><tbody>")
    for (r in summary.rows) {
      sb.append("<tr><td style=\"text-align:left\">").append(escape(r.name)).append(" (").append(escape(r.type)).append(")</td>")
      sb.append("<td style=\"text-align:left\"><code>").append(escape(r.outputShape)).append("</code></td>")
      sb.append("<td style=\"text-align:right\">").append(ModelSummary.grouped(r.params)).append("</td></tr>")
    }
    sb.append("</tbody><tfoot>")
    total(sb, "Total params", summary.totalParams)
    total(sb, "Trainable params", summary.trainableParams)
    total(sb, "Non-trainable params", summary.nonTrainableParams)
    sb.append("</tfoot></table>")
    return sb.toString()
  }

  /** A history table: a header row of epochs, then one row per key. */
  fun html(table: HistoryTable): String {
    val sb = StringBuilder()
    sb.append("<table class=\"kontrast-history\"><thead><tr><th></th>")
    for (h in table.headers) sb.append("<th style=\"text-align:right\">").append(escape(h)).append("</th>")
    sb.append("</tr></thead><tbody>")
    for ((key, values) in table.rows) {
      sb.append("<tr><td style=\"text-align:left\"><code>").append(escape(key)).append("</code></td>")
      for (v in values) sb.append("<td style=\"text-align:right\">").append(table.format(v)).append("</td>")
      sb.append("</tr>")
    }
    sb.append("</tbody></table>")
    return sb.toString()
  }

  private fun total(sb: StringBuilder, label: String, n: Long) {
    sb.append("<tr><td colspan=\"2\" style=\"text-align:left\">").append(label)
      .append("</td><td style=\"text-align:right\">").append(ModelSummary.grouped(n)).append("</td></tr>")
  }

  internal fun escape(s: String): String =
    s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
}
