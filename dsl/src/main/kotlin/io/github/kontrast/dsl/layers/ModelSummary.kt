package io.github.kontrast.dsl.layers

/**
 * A Keras-style model summary: one row per layer with its output shape and parameter count, and
 * the totals. [toString] renders the table; parameters shared between calls count once.
 *
 * @property title the model's name, printed as `Model: "<title>"`.
 * @property rows the input row, then one row per layer.
 * @property trainableParams parameters the optimizer updates.
 * @property nonTrainableParams parameters it does not (batch norm's moving statistics, frozen layers).
 */
class ModelSummary(
  val title: String,
  val rows: List<Row>,
  val trainableParams: Long,
  val nonTrainableParams: Long,
) {
  /**
   * One row of the table.
   *
   * @property name the layer's name, e.g. "conv2d_1".
   * @property type the layer's Keras class name, e.g. "Conv2D".
   * @property outputShape rendered as Keras does, e.g. "(None, 27, 27, 128)"
   * @property params the layer's parameter count.
   */
  class Row(val name: String, val type: String, val outputShape: String, val params: Long)

  /** Every parameter, trainable or not. */
  val totalParams: Long get() = trainableParams + nonTrainableParams

  override fun toString(): String {
    val w1 = maxOf(28, rows.maxOfOrNull { it.name.length + it.type.length + 5 } ?: 0)
    val w2 = maxOf(26, rows.maxOfOrNull { it.outputShape.length + 2 } ?: 0)
    val w3 = 10
    val width = w1 + w2 + w3
    val sb = StringBuilder()
    sb.append("Model: \"").append(title).append("\"\n")
    sb.append("_".repeat(width)).append('\n')
    sb.append(" Layer (type)".padEnd(w1)).append("Output Shape".padEnd(w2)).append("Param #".padEnd(w3)).append('\n')
    sb.append("=".repeat(width)).append('\n')
    rows.forEachIndexed { i, r ->
      sb.append(" ${r.name} (${r.type})".padEnd(w1)).append(r.outputShape.padEnd(w2)).append(grouped(r.params).padEnd(w3)).append('\n')
      if (i < rows.size - 1) sb.append('\n')
    }
    sb.append("=".repeat(width)).append('\n')
    sb.append("Total params: ").append(grouped(totalParams)).append('\n')
    sb.append("Trainable params: ").append(grouped(trainableParams)).append('\n')
    sb.append("Non-trainable params: ").append(grouped(nonTrainableParams)).append('\n')
    sb.append("_".repeat(width)).append('\n')
    return sb.toString()
  }

  companion object {
    /** 107456 -> "107,456", the way Keras prints counts. */
    @JvmStatic fun grouped(n: Long): String = String.format(java.util.Locale.ROOT, "%,d", n)

    /** [28, 28, 1] -> "(None, 28, 28, 1)", [] -> "(None,)": the batch dimension is unknown. */
    @JvmStatic fun shape(perExample: IntArray): String =
      if (perExample.isEmpty()) "(None,)" else (listOf("None") + perExample.map { it.toString() }).joinToString(", ", "(", ")")
  }
}
