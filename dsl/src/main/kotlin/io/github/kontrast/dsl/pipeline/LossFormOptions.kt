package io.github.kontrast.dsl.pipeline

/**
 * The loss-form settings of the builders whose loss has a chunked form (SimCLR, SupCon, CLIP):
 * Kotlin `simclr { batchSize = 4096; chunkRows(512) }`, Java `SimClr.builder().batchSize(4096).fullMatrix()`.
 *
 * @param B the concrete builder, returned for chaining
 */
interface LossFormOptions<B> {
  /** How the loss is computed; [LossForm.AUTO] by default. */
  var lossForm: LossForm

  /** Sets [lossForm] to row blocks of [rows] anchors whatever the batch size; needs the builder's static batch size. */
  @Suppress("UNCHECKED_CAST")
  fun chunkRows(rows: Int): B {
    lossForm = LossForm.chunkRows(rows)
    return this as B
  }

  /** Sets [lossForm] to the full similarity matrix whatever the batch size. */
  @Suppress("UNCHECKED_CAST")
  fun fullMatrix(): B {
    lossForm = LossForm.fullMatrix()
    return this as B
  }

  /** Sets [lossForm]. */
  @Suppress("UNCHECKED_CAST")
  fun lossForm(form: LossForm): B {
    lossForm = form
    return this as B
  }
}
