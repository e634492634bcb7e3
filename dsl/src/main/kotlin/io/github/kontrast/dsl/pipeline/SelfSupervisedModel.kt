package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential

/**
 * The base of the two-view methods (SimCLR, MoCo v3, SimSiam, SwAV, SupCon): batches carry two
 * augmented views of each image, [Batch.VIEW1] and [Batch.VIEW2] ([inputShape] each); the
 * [encoder] maps a view to its representation h, the [projector] maps h to the projection z the
 * loss is computed on. After training the projection head is dropped and the encoder kept, as
 * SimCLR does: `embed` returns h (the encoder on [Batch.VIEW1], or on any images given to
 * `embed(images)`), and `export` writes the encoder alone. Throughput counts images (each seen
 * as two views).
 */
abstract class SelfSupervisedModel internal constructor(
  settings: PipelineSettings,
  /** The encoder, whose output h is the embedding. */
  val encoder: Sequential,
  /** The projection head trained with the loss and dropped afterwards. */
  val projector: Sequential,
  inputShape: IntArray,
  definition: GraphDefinition,
) : Pipeline(settings, UNIT, definition) {
  private val shape = inputShape.copyOf()

  /** Per-example image shape, e.g. [28, 28, 1]. */
  val inputShape: IntArray get() = shape.copyOf()

  /** The representation h per example, what `embed` returns, e.g. [128]. */
  val representationShape: IntArray = encoder.outputShape(shape)

  /** The projection z per example, e.g. [64]. */
  val projectionShape: IntArray = projector.outputShape(representationShape)

  /** The encoder's own Keras-style table. */
  fun encoderSummary(): ModelSummary = encoder.summary(shape)

  /** The projection head's own table. */
  fun projectorSummary(): ModelSummary = projector.summary(representationShape)

  /** The rows every method starts with: both views, the shared encoder, the shared projector. */
  protected fun viewRows(): List<ModelSummary.Row> = listOf(
    ModelSummary.Row(Batch.VIEW1, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
    ModelSummary.Row(Batch.VIEW2, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
    ModelSummary.Row(encoder.name, "Sequential, shared", ModelSummary.shape(representationShape), encoderSummary().totalParams),
    ModelSummary.Row(projector.name, "Sequential, shared", ModelSummary.shape(projectionShape), projectorSummary().totalParams),
  )

  /** A row for the loss, which outputs a scalar. */
  protected fun lossRow(name: String, description: String): ModelSummary.Row = ModelSummary.Row(name, description, "()", 0)

  override fun summaryTables(): List<ModelSummary> = listOf(encoderSummary(), projectorSummary())

  companion object {
    /** What one training example is: an image, seen as two views. */
    const val UNIT = "images"

    /** Output names: the first view's projection (every method), `[N]` + [projectionShape]. */
    const val Z1 = "z1"
    /** The second view's projection. */
    const val Z2 = "z2"
  }
}
