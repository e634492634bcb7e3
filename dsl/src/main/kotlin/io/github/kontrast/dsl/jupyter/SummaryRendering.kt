package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.layers.ModelSummary

/** A model summary as an HTML table with the same rows and totals as its text form. */
object SummaryRendering {
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

  private fun total(sb: StringBuilder, label: String, n: Long) {
    sb.append("<tr><td colspan=\"2\" style=\"text-align:left\">").append(label)
      .append("</td><td style=\"text-align:right\">").append(ModelSummary.grouped(n)).append("</td></tr>")
  }

  internal fun escape(s: String): String =
    s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
}
