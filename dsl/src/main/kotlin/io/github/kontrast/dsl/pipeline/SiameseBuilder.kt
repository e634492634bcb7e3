package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.metrics.Metric
import io.github.kontrast.dsl.metrics.PairMetrics
import io.github.kontrast.dsl.metrics.PairOutputs
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention

/**
 * Configures a [SiameseModel]. Kotlin: the receiver of `siamese { ... }` (properties and helper
 * functions); Java: fluent methods (`Siamese.builder().input(28, 28, 1).encoder(twin)...build()`).
 * The shared settings (seed, input, encoder, optimizer, verbosity) come from [PipelineBuilder].
 *
 * Defaults: input 28x28x1 and [Encoders.mnistTwin] (document 001's); the loss
 * `ContrastiveLoss.create()` as the library defines it (margin 1, label 1 = similar, no 1/2
 * factor, squared terms, Euclidean distance, mean), the same as `contrastive()`; Adam(1e-3);
 * threshold 0.5; pair accuracy and mean positive/negative distances. Document 001's loss adds the
 * 1/2 factor: `loss = contrastive(halfFactor = true)`. The distance is the loss's: set it with
 * `ContrastiveLoss.withDistance`.
 */
class SiameseBuilder : PipelineBuilder<SiameseBuilder, SiameseModel>(intArrayOf(28, 28, 1), "siamese_twin") {
  var loss: ContrastiveLoss = ContrastiveLoss.create()

  /** Pairs closer than this are predicted similar (further, for a similarity). */
  var threshold: Float = 0.5f

  /** Null: pair accuracy at [threshold] and the mean positive and negative distances. */
  var metrics: List<Metric<PairOutputs>>? = null

  fun loss(loss: ContrastiveLoss): SiameseBuilder = apply { this.loss = loss }

  fun threshold(threshold: Float): SiameseBuilder = apply { this.threshold = threshold }

  fun metrics(metrics: List<Metric<PairOutputs>>): SiameseBuilder = apply { this.metrics = metrics.toList() }

  /**
   * The contrastive loss with the options Kotlin callers name, `loss = contrastive(halfFactor = true)`;
   * every option left out keeps `ContrastiveLoss.create()`'s value, so `contrastive()` is the default loss.
   */
  @JvmOverloads
  fun contrastive(
    margin: Float = DEFAULT_LOSS.margin(),
    convention: PairConvention = DEFAULT_LOSS.convention(),
    halfFactor: Boolean = DEFAULT_LOSS.halfFactor(),
  ): ContrastiveLoss = DEFAULT_LOSS.withMargin(margin).withConvention(convention).withHalfFactor(halfFactor)

  override fun build(): SiameseModel {
    require(threshold.isFinite()) { "threshold must be finite, got $threshold" }
    return SiameseModel(
      settings(),
      encoder ?: Encoders.mnistTwin(),
      inputShape,
      loss,
      threshold,
      metrics ?: listOf(PairMetrics.pairAccuracy(threshold), PairMetrics.meanPositiveDistance(), PairMetrics.meanNegativeDistance()),
    )
  }

  private companion object {
    val DEFAULT_LOSS: ContrastiveLoss = ContrastiveLoss.create()
  }
}

/** Java's entry point: `Siamese.builder()`. */
object Siamese {
  @JvmStatic fun builder(): SiameseBuilder = SiameseBuilder()
}
