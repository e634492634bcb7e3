package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.losses.SupConLoss

/**
 * Configures a [SupConModel]. Kotlin: the receiver of `supCon { ... }`; Java: fluent methods
 * (`SupCon.builder().trainingSteps(470).build()`). Shared settings and the default optimizer:
 * [SelfSupervisedBuilder].
 *
 * Defaults: [Encoders.smallCnn]; projector `mlp(128, 64)` (SupCon's two-layer head, narrowed);
 * `SupConLoss.create()` (temperature 0.07, cosine: document 004's).
 */
class SupConBuilder : SelfSupervisedBuilder<SupConBuilder, SupConModel>(), LossFormOptions<SupConBuilder> {
  /** Full matrix or row blocks ([LossForm.AUTO]: blocks when the static [batchSize]'s [2B, 2B] matrix is large). */
  override var lossForm: LossForm = LossForm.AUTO

  /** The loss over both views' projections with the class labels twice; `SupConLoss.create()` (temperature 0.07) by default. */
  var loss: SupConLoss = SupConLoss.create()

  /** Sets [loss]. */
  fun loss(loss: SupConLoss): SupConBuilder = apply { this.loss = loss }

  /** `loss = supConLoss(temperature = 0.1f)` in a DSL block. */
  @JvmOverloads
  fun supConLoss(temperature: Float = DEFAULT_LOSS.temperature()): SupConLoss = DEFAULT_LOSS.withTemperature(temperature)

  override fun build(): SupConModel {
    val views = batchSize?.let { 2L * it }
    // data-parallel: this worker's views against every worker's
    val plan = lossForm.plan(views, views?.times(DataParallel.workers()), loss.chunkRows())
    return SupConModel(selfSupervisedSettings(), chosenEncoder(), projector ?: mlp(128, 64), inputShape, loss.withChunkRows(plan.chunkRows), plan, preprocessing)
  }

  private companion object {
    val DEFAULT_LOSS: SupConLoss = SupConLoss.create()
  }
}

/** Java's entry point: `SupCon.builder()`. */
object SupCon {
  /** A builder with the defaults listed on [SupConBuilder]. */
  @JvmStatic fun builder(): SupConBuilder = SupConBuilder()
}
