package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.losses.NtXentLoss

/**
 * Configures a [SimClrModel]. Kotlin: the receiver of `simclr { ... }`; Java: fluent methods
 * (`SimClr.builder().input(28, 28, 1).encoder(cnn).trainingSteps(470).build()`). Shared settings
 * and the default optimizer: [SelfSupervisedBuilder].
 *
 * Defaults: [Encoders.smallCnn]; projector `mlp(128, 64)` (SimCLR v1's two-layer head without
 * batch norm, narrowed for 28x28 images); NT-Xent with cosine similarity (document 004's nt_xent)
 * at temperature 0.1, the SimCLR paper's best, rather than document 004's 0.5.
 */
class SimClrBuilder : SelfSupervisedBuilder<SimClrBuilder, SimClrModel>(), LossFormOptions<SimClrBuilder> {
  /** Full matrix or row blocks ([LossForm.AUTO]: blocks when the static [batchSize]'s [2B, 2B] matrix is large). */
  override var lossForm: LossForm = LossForm.AUTO

  /** The loss over the 2B projections; `NtXentLoss.create().withTemperature(0.1f)` (cosine) by default. */
  var loss: NtXentLoss = DEFAULT_LOSS

  /** Sets [loss]. */
  fun loss(loss: NtXentLoss): SimClrBuilder = apply { this.loss = loss }

  /** `loss = ntXent(temperature = 0.2f)` in a DSL block; NT-Xent with the library's defaults otherwise. */
  @JvmOverloads
  fun ntXent(temperature: Float = DEFAULT_LOSS.temperature()): NtXentLoss = DEFAULT_LOSS.withTemperature(temperature)

  override fun build(): SimClrModel {
    val views = batchSize?.let { 2L * it }
    // data-parallel: this worker's views against every worker's
    val plan = lossForm.plan(views, views?.times(DataParallel.workers()), loss.chunkRows())
    return SimClrModel(selfSupervisedSettings(), chosenEncoder(), projector ?: mlp(128, 64), inputShape, loss.withChunkRows(plan.chunkRows), plan, preprocessing)
  }

  private companion object {
    // 0.5 left Fashion-MNIST's probe at the random encoder's (0.805 vs 0.804, 10 epochs on 12k); 0.1: 0.812, MNIST k-NN 0.907 -> 0.929
    val DEFAULT_LOSS: NtXentLoss = NtXentLoss.create().withTemperature(0.1f)
  }
}

/** Java's entry point: `SimClr.builder()`. */
object SimClr {
  /** A builder with the defaults listed on [SimClrBuilder]. */
  @JvmStatic fun builder(): SimClrBuilder = SimClrBuilder()
}
