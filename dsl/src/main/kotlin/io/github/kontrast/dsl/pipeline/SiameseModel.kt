package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.LabelConventionGuard
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.metrics.Metric
import io.github.kontrast.dsl.metrics.PairDecision
import io.github.kontrast.dsl.metrics.PairOutputs
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.distances.Distance
import io.github.kontrast.losses.PairConvention

/**
 * A Siamese network (document 001) on the [Pipeline] base: one [encoder] applied to both images
 * of a pair (shared weights), the distance of the [loss] between the two embeddings, the
 * contrastive loss on that distance, and pair metrics. It reads batches with [Batch.FIRST],
 * [Batch.SECOND] (images of [inputShape]) and [Batch.LABEL] (one 0/1 per pair, read through the
 * loss's convention); its embedding (for `embed` and `export`) is the encoder on [Batch.FIRST].
 * Throughput is counted in pairs.
 *
 * Built by [SiameseBuilder] (`siamese { ... }` in Kotlin, `Siamese.builder()...build()` in Java).
 */
class SiameseModel internal constructor(
  settings: PipelineSettings,
  /** The network applied to both images of a pair, with shared weights. */
  val encoder: Sequential,
  inputShape: IntArray,
  /** The contrastive loss; its distance is the pair distance of the metrics and of [predict]. */
  val loss: ContrastiveLoss,
  /** The decision threshold: a pair is called similar below it (above it, for a similarity). */
  val threshold: Float,
  /** The pair metrics computed every step and shown in History. */
  val metrics: List<Metric<PairOutputs>>,
) : Pipeline(settings, "pairs", graph(encoder, inputShape.copyOf(), loss, metrics)) {
  private val shape = inputShape.copyOf()

  /** The distance between embeddings: the loss's own. */
  val distance: Distance get() = loss.distance()

  /** When a pair counts as similar, for the pair accuracy and [predictSimilar]. */
  val decision: PairDecision = PairDecision(threshold, loss.distance().isSimilarity())

  /** Per-example image shape, e.g. [28, 28, 1]. */
  val inputShape: IntArray get() = shape.copyOf()

  /** Embedding size per example, e.g. [128]. */
  val embeddingShape: IntArray = encoder.outputShape(shape)

  override val name: String get() = "siamese"

  /**
   * Warns after a run's first epoch when the pairs labelled similar ended further apart than the
   * dissimilar ones: labels written with the other convention ([LabelConventionGuard]). It reads
   * the mean positive and negative distances, so it is there when the metrics include them (the
   * default metrics do); its [LabelConventionGuard.warning] holds the last run's warning.
   */
  val labelGuard: LabelConventionGuard? =
    if (metrics.map { it.name }.containsAll(listOf(MEAN_POSITIVE, MEAN_NEGATIVE))) LabelConventionGuard(loss.convention(), distance.isSimilarity()) else null

  override fun standingCallbacks(): List<Callback> = listOfNotNull(labelGuard)

  /** The encoder's own Keras-style table (document 001's twin: 107,456 parameters). */
  fun encoderSummary(): ModelSummary = encoder.summary(shape)

  /** As Keras shows document 001's model: two inputs, the shared twin (its parameters counted once), the distance. */
  override fun summaryRows(): List<ModelSummary.Row> = listOf(
    ModelSummary.Row(Batch.FIRST, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
    ModelSummary.Row(Batch.SECOND, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
    ModelSummary.Row(encoder.name, "Sequential, shared", ModelSummary.shape(embeddingShape), encoderSummary().totalParams),
    ModelSummary.Row(DISTANCE, distance.name(), ModelSummary.shape(IntArray(0)), 0),
  )

  override fun summaryTables(): List<ModelSummary> = listOf(encoderSummary())

  /** The distance of every pair of [dataset], in order: `[dataset.size]`. Labels are not needed. */
  @JvmOverloads
  fun predict(dataset: Dataset, batchSize: Int = 32): FloatHostArray = predict(dataset, DISTANCE, batchSize) as FloatHostArray

  /** Whether each pair is predicted similar, by [decision]: distance < threshold (> for a similarity). */
  fun predictSimilar(distances: FloatHostArray): BooleanArray = decision.similar(distances)

  override fun toString(): String =
    "SiameseModel(encoder=${encoder.name}, input=${ModelSummary.shape(shape)}, distance=${distance.name()}, loss=$loss, optimizer=${optimizer.describe()})"

  companion object {
    /** Output names in the graph. */
    const val DISTANCE = "distance"

    /** The default metrics' names for the mean distances, which [labelGuard] reads. */
    private const val MEAN_POSITIVE = "mean_positive_distance"
    private const val MEAN_NEGATIVE = "mean_negative_distance"
    /** The output holding the encoder's embedding of [Batch.FIRST]: [Pipeline.EMBEDDING]. */
    const val EMBEDDING = Pipeline.EMBEDDING

    /**
     * The Siamese graph: both images through the one encoder instance, the loss's distance, the
     * contrastive loss on it (one term, "contrastive"), the pair metrics, and the outputs
     * "distance" and "embedding".
     */
    private fun graph(encoder: Sequential, shape: IntArray, loss: ContrastiveLoss, metrics: List<Metric<PairOutputs>>) = GraphDefinition { g ->
      require(encoder.inputType == ElementType.FLOAT) { "a Siamese encoder must read float images, its first layer reads ${encoder.inputType}" }
      val embeddingShape = encoder.outputShape(shape)
      require(embeddingShape.size == 1) {
        "the encoder must end in one vector per example (add flatten() or globalAveragePooling()), it ends in ${ModelSummary.shape(embeddingShape)}"
      }
      val tf = g.tf
      g.floatInput(Batch.FIRST, shape)
      val second = g.floatInput(Batch.SECOND, shape)
      val label = g.floatInput(Batch.LABEL, IntArray(0))
      val twin = g.encoder(encoder, shape)
      val e1 = g.embedding(Batch.FIRST, twin)
      val e2 = twin.apply(g.forward, second)
      val distance = loss.distance()
      val d = tf.withName(DISTANCE).identity(distance.pairwise(tf, e1, e2))
      g.addLoss("contrastive", loss.callOnDistance(tf, d, label))
      val similar = if (loss.convention() == PairConvention.ONE_MEANS_SIMILAR) label else tf.math.sub(tf.constant(1f), label)
      g.addMetrics(metrics, PairOutputs(d, tf.stopGradient(similar), distance.isSimilarity()))
      g.addOutput(DISTANCE, d)
    }
  }
}
