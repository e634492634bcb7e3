package io.github.kontrast.dsl.pipeline

import io.github.kontrast.losses.ChunkedContrastive

/**
 * How a pipeline computes its softmax-contrastive loss (SimCLR's NT-Xent, SupCon, CLIP): the whole
 * similarity matrix at once, or [ChunkedContrastive]'s row blocks, which give the same value and
 * gradients without ever holding the matrix.
 *
 * - [AUTO] (the default): row blocks of [DEFAULT_CHUNK_ROWS] when the pipeline's static batch size
 *   is known (the builder's `batchSize`) and the matrix has more than [CHUNK_ABOVE_ELEMENTS]
 *   elements; otherwise the full matrix, or the chunking the loss object was given with
 *   `withChunkRows`. Without a static batch size the number of blocks is unknown, so AUTO keeps
 *   the full matrix.
 * - [chunkRows]: row blocks of the given size whatever the batch (needs a static batch size).
 * - [fullMatrix]: the full matrix whatever the batch.
 *
 * Why [CHUNK_ABOVE_ELEMENTS] = 2^24 (a 4,096 x 4,096 matrix, 64 MiB in float32): the full form
 * keeps several matrices of that size alive for the backward pass (logits, softmax, their
 * gradients), hundreds of MiB from there on and growing with the square of the batch, while the
 * blocks' time was within 0.58-1.04x of the full form's in the loss benchmark (README, Speed). Below
 * it the full form is small and simple, so it stays.
 */
class LossForm private constructor(
  /** null: decided by size; 0: the full matrix; > 0: blocks of this many rows. */
  private val rows: Int?,
  /** [AUTO]'s threshold in matrix elements. */
  private val aboveElements: Long,
  /** [AUTO]'s block size. */
  private val autoRows: Int,
) {
  /**
   * The form for a similarity matrix of [anchors] x [columns] elements, both null when the batch
   * size is not static, given the chunking the loss object already has ([lossChunkRows], 0 = none).
   */
  fun plan(anchors: Long?, columns: Long?, lossChunkRows: Int): LossPlan {
    val size = if (anchors != null && columns != null) anchors to columns else null
    val explicit = rows ?: if (lossChunkRows > 0) lossChunkRows else null
    val chosen = when {
      explicit != null -> explicit
      size != null && size.first * size.second > aboveElements -> autoRows
      else -> 0
    }
    require(chosen == 0 || size != null) {
      "chunkRows($chosen) needs a static batch size (the number of row blocks is fixed when the graph is built): set the builder's batchSize"
    }
    val why = when {
      rows != null -> "set"
      lossChunkRows > 0 -> "the loss's"
      size == null -> "batch size not static"
      chosen > 0 -> "auto: above $aboveElements elements"
      else -> "auto: at most $aboveElements elements"
    }
    return LossPlan(chosen, size?.first, size?.second, why)
  }

  override fun toString(): String = when (rows) {
    null -> "LossForm.auto(aboveElements=$aboveElements, rows=$autoRows)"
    0 -> "LossForm.fullMatrix()"
    else -> "LossForm.chunkRows($rows)"
  }

  companion object {
    /** [AUTO] chunks a similarity matrix with more elements than this: 2^24, a 4,096 x 4,096 matrix. */
    const val CHUNK_ABOVE_ELEMENTS: Long = 1L shl 24

    /** The block size [AUTO] chunks with: 1,024 anchors per block (the loss benchmark's). */
    const val DEFAULT_CHUNK_ROWS: Int = 1024

    /** Row blocks of [DEFAULT_CHUNK_ROWS] above [CHUNK_ABOVE_ELEMENTS], the full matrix below. */
    @JvmField
    val AUTO: LossForm = LossForm(null, CHUNK_ABOVE_ELEMENTS, DEFAULT_CHUNK_ROWS)

    /** [AUTO] with another threshold ([aboveElements] >= 0 matrix elements) and block size ([rows] > 0). */
    @JvmStatic
    fun auto(aboveElements: Long, rows: Int): LossForm {
      require(aboveElements >= 0) { "aboveElements: expected a number of matrix elements >= 0, got $aboveElements" }
      require(rows > 0) { "rows: expected a block size > 0, got $rows" }
      return LossForm(null, aboveElements, rows)
    }

    /** Always the full similarity matrix. */
    @JvmStatic
    fun fullMatrix(): LossForm = LossForm(0, CHUNK_ABOVE_ELEMENTS, DEFAULT_CHUNK_ROWS)

    /** Always row blocks of [rows] anchors ([rows] > 0); the pipeline needs a static batch size. */
    @JvmStatic
    fun chunkRows(rows: Int): LossForm {
      require(rows > 0) { "chunkRows: expected a block size > 0 (fullMatrix() for the whole matrix), got $rows" }
      return LossForm(rows, CHUNK_ABOVE_ELEMENTS, DEFAULT_CHUNK_ROWS)
    }
  }
}
