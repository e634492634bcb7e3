package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.ModelSummary

/**
 * The loss form a pipeline was built with, as [LossForm.plan] chose it.
 *
 * @property chunkRows anchors per row block; 0: the full matrix.
 * @property anchors the similarity matrix's rows; null when the batch size is not static.
 * @property columns the similarity matrix's columns; null when the batch size is not static.
 * @property reason why this form: "set", "the loss's", "auto: above N elements", "auto: at most N elements", "batch size not static".
 */
class LossPlan internal constructor(val chunkRows: Int, val anchors: Long?, val columns: Long?, val reason: String) {
  /** True when the loss is computed in row blocks. */
  val chunked: Boolean get() = chunkRows > 0

  /** "chunked, 1024-row blocks (auto: above 16777216 elements)" or "full matrix (...)": [summaryRow]'s type column. */
  val description: String get() = (if (chunked) "chunked, $chunkRows-row blocks" else "full matrix") + " ($reason)"

  /** The row [Pipeline.summary] shows: name "loss_form", the form, the matrix's shape. */
  fun summaryRow(): ModelSummary.Row =
    ModelSummary.Row("loss_form", description, "(${anchors ?: "?"}, ${columns ?: "?"})", 0)

  override fun toString(): String = "LossPlan($description, matrix ${anchors ?: "?"} x ${columns ?: "?"})"
}
