package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.MomentumSchedule
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.losses.MocoLoss

/**
 * Configures a [MocoV3Model]. Kotlin: the receiver of `mocoV3 { ... }`; Java: fluent methods
 * (`MocoV3.builder().trainingSteps(470).queueSize(4096).build()`). Shared settings and the
 * default optimizer: [SelfSupervisedBuilder].
 *
 * Defaults: [Encoders.smallCnn]; projector `mlp(256, 64, layers = 3, batchNorm = true,
 * lastBatchNorm = true)` and predictor `mlp(256, 64, batchNorm = true)` (MoCo v3's heads,
 * narrowed); `MocoLoss.create()` (temperature 0.2, cosine, document 004's (L(q1, k2) + L(q2, k1)) / 2,
 * no 2 * temperature factor); momentum `MomentumSchedule.cosine(0.99, trainingSteps)` (MoCo v3's
 * ramp to 1), or a constant 0.99 when [trainingSteps] is not given; no queue.
 */
class MocoV3Builder : SelfSupervisedBuilder<MocoV3Builder, MocoV3Model>() {
  /** The predictor on the online branch; null: the default above. */
  var predictor: Sequential? = null

  /** The symmetric contrastive loss between queries and keys; `MocoLoss.create()` (temperature 0.2) by default. */
  var loss: MocoLoss = MocoLoss.create()

  /** tau of the momentum branch by step; null: the default above. */
  var momentum: MomentumSchedule? = null

  /** Queued keys used as extra negatives (MoCo v2); 0: none. */
  var queueSize: Int = 0

  /** Sets [predictor]. */
  fun predictor(predictor: Sequential): MocoV3Builder = apply { this.predictor = predictor }

  /** Kotlin: `predictor { dense(256); batchNorm(); activation(relu); dense(64) }`. */
  fun predictor(block: SequentialBuilder.() -> Unit): MocoV3Builder =
    predictor(SequentialBuilder().apply { name = "predictor" }.apply(block).build())

  /** Sets [loss]. */
  fun loss(loss: MocoLoss): MocoV3Builder = apply { this.loss = loss }

  /** Sets [momentum], the momentum branch's tau by step. */
  fun momentum(momentum: MomentumSchedule): MocoV3Builder = apply { this.momentum = momentum }

  /** Sets [queueSize]; it must be >= 0 (0: no queue). */
  fun queueSize(size: Int): MocoV3Builder = apply { this.queueSize = size }

  /** `loss = moco(temperature = 0.2f, twoTemperatureScaling = true)` in a DSL block. */
  @JvmOverloads
  fun moco(temperature: Float = DEFAULT_LOSS.temperature(), twoTemperatureScaling: Boolean = DEFAULT_LOSS.twoTemperatureScaling()): MocoLoss =
    DEFAULT_LOSS.withTemperature(temperature).withTwoTemperatureScaling(twoTemperatureScaling)

  override fun build(): MocoV3Model {
    require(queueSize >= 0) { "queueSize: expected a number of keys >= 0 (0: no queue), got $queueSize" }
    val tau = momentum ?: trainingSteps?.let { MomentumSchedule.cosine(DEFAULT_MOMENTUM, it) } ?: MomentumSchedule.constant(DEFAULT_MOMENTUM)
    return MocoV3Model(
      selfSupervisedSettings(),
      chosenEncoder(),
      projector ?: mlp(256, 64, layers = 3, batchNorm = true, lastBatchNorm = true),
      predictor ?: mlp(256, 64, batchNorm = true, name = "predictor"),
      inputShape,
      loss,
      tau,
      queueSize,
      preprocessing,
    )
  }

  private companion object {
    val DEFAULT_LOSS: MocoLoss = MocoLoss.create()
    const val DEFAULT_MOMENTUM = 0.99
  }
}

/** Java's entry point: `MocoV3.builder()`. */
object MocoV3 {
  /** A builder with the defaults listed on [MocoV3Builder]. */
  @JvmStatic fun builder(): MocoV3Builder = MocoV3Builder()
}
