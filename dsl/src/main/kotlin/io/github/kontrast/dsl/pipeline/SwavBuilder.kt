package io.github.kontrast.dsl.pipeline

import io.github.kontrast.losses.SwavLoss

/**
 * Configures a [SwavModel]. Kotlin: the receiver of `swav { ... }`; Java: fluent methods
 * (`Swav.builder().prototypes(30).build()`). Shared settings and the default optimizer:
 * [SelfSupervisedBuilder].
 *
 * Defaults: [Encoders.smallCnn]; projector `mlp(256, 64, batchNorm = true)` (SwAV's head,
 * narrowed); 30 prototypes (SwAV takes 3,000 for ImageNet's 1,000 classes; a few times the
 * classes suits 10-class data); `SwavLoss.create()` (temperature 0.1, Sinkhorn epsilon 0.05 and 3
 * iterations, document 004's).
 */
class SwavBuilder : SelfSupervisedBuilder<SwavBuilder, SwavModel>() {
  /** Number of prototypes (clusters). */
  var prototypes: Int = 30

  /** The swapped-prediction loss with its Sinkhorn settings; `SwavLoss.create()` by default. */
  var loss: SwavLoss = SwavLoss.create()

  /** Sets [prototypes]; it must be > 0. */
  fun prototypes(count: Int): SwavBuilder = apply { this.prototypes = count }

  /** Sets [loss]. */
  fun loss(loss: SwavLoss): SwavBuilder = apply { this.loss = loss }

  /** `loss = swavLoss(temperature = 0.1f, epsilon = 0.05f, iterations = 3)` in a DSL block. */
  @JvmOverloads
  fun swavLoss(
    temperature: Float = DEFAULT_LOSS.temperature(),
    epsilon: Float = DEFAULT_LOSS.epsilon(),
    iterations: Int = DEFAULT_LOSS.iterations(),
  ): SwavLoss = DEFAULT_LOSS.withTemperature(temperature).withEpsilon(epsilon).withIterations(iterations)

  override fun build(): SwavModel {
    require(prototypes > 0) { "prototypes: expected a number of prototypes > 0, got $prototypes" }
    return SwavModel(selfSupervisedSettings(), chosenEncoder(), projector ?: mlp(256, 64, batchNorm = true), inputShape, prototypes, loss, preprocessing)
  }

  private companion object {
    val DEFAULT_LOSS: SwavLoss = SwavLoss.create()
  }
}

/** Java's entry point: `Swav.builder()`. */
object Swav {
  /** A builder with the defaults listed on [SwavBuilder]. */
  @JvmStatic fun builder(): SwavBuilder = SwavBuilder()
}
