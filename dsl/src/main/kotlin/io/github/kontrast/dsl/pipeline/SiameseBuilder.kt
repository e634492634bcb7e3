package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.dsl.metrics.Metric
import io.github.kontrast.dsl.metrics.PairMetrics
import io.github.kontrast.dsl.metrics.PairOutputs
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.optim.Optimizers
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.distances.Distance
import io.github.kontrast.losses.PairConvention

/**
 * Configures a [SiameseModel]. Kotlin: the receiver of `siamese { ... }` (properties and helper
 * functions); Java: fluent methods (`Siamese.builder().input(28, 28, 1).encoder(twin)...build()`).
 *
 * Defaults are document 001's: input 28x28x1, [Encoders.mnistTwin], Euclidean distance, contrastive
 * loss with margin 1, label 1 = similar and the 1/2 factor, Adam(1e-3), threshold 0.5, pair
 * accuracy and mean positive/negative distances.
 */
class SiameseBuilder {
  var seed: Long = 0L
  var inputShape: IntArray = intArrayOf(28, 28, 1)
  var encoder: Sequential? = null

  /** Null: the loss's own distance. */
  var distance: Distance? = null
  var loss: ContrastiveLoss = contrastive(1f, PairConvention.ONE_MEANS_SIMILAR, true)
  var optimizer: Optimizer = Optimizers.adam(1e-3)

  /** Pairs closer than this are predicted similar (further, for a similarity). */
  var threshold: Float = 0.5f

  /** Null: pair accuracy at [threshold] and the mean positive and negative distances. */
  var metrics: List<Metric<PairOutputs>>? = null
  var quiet: Boolean = false

  fun seed(seed: Long): SiameseBuilder = apply { this.seed = seed }

  fun input(vararg shape: Int): SiameseBuilder = apply {
    require(shape.isNotEmpty() && shape.all { it > 0 }) { "input shape must have positive dimensions, got ${shape.contentToString()}" }
    inputShape = shape.copyOf()
  }

  fun encoder(encoder: Sequential): SiameseBuilder = apply { this.encoder = encoder }

  /** Kotlin: `encoder { conv2d(128, 2, activation = relu); ... }`. */
  fun encoder(block: SequentialBuilder.() -> Unit): SiameseBuilder =
    encoder(SequentialBuilder().apply { name = "siamese_twin" }.apply(block).build())

  fun distance(distance: Distance): SiameseBuilder = apply { this.distance = distance }

  fun loss(loss: ContrastiveLoss): SiameseBuilder = apply { this.loss = loss }

  fun optimizer(optimizer: Optimizer): SiameseBuilder = apply { this.optimizer = optimizer }

  fun threshold(threshold: Float): SiameseBuilder = apply { this.threshold = threshold }

  fun metrics(metrics: List<Metric<PairOutputs>>): SiameseBuilder = apply { this.metrics = metrics.toList() }

  fun quiet(quiet: Boolean): SiameseBuilder = apply { this.quiet = quiet }

  /** The contrastive loss with the options Kotlin callers name: `loss = contrastive(margin = 1f, halfFactor = true)`. */
  @JvmOverloads
  fun contrastive(
    margin: Float = 1f,
    convention: PairConvention = PairConvention.ONE_MEANS_SIMILAR,
    halfFactor: Boolean = false,
  ): ContrastiveLoss = ContrastiveLoss.create().withMargin(margin).withConvention(convention).withHalfFactor(halfFactor)

  /** Adam without an import: `optimizer = adam(1e-3)`. */
  fun adam(learningRate: Double): Optimizer = Optimizers.adam(learningRate)

  fun build(): SiameseModel {
    require(threshold.isFinite()) { "threshold must be finite, got $threshold" }
    val d = distance ?: loss.distance()
    val model = SiameseModel(
      encoder ?: Encoders.mnistTwin(),
      inputShape,
      d,
      loss,
      optimizer,
      threshold,
      seed,
      metrics ?: listOf(PairMetrics.pairAccuracy(threshold), PairMetrics.meanPositiveDistance(), PairMetrics.meanNegativeDistance()),
    )
    model.quiet = quiet
    return model
  }
}

/** Java's entry point: `Siamese.builder()`. */
object Siamese {
  @JvmStatic fun builder(): SiameseBuilder = SiameseBuilder()
}
