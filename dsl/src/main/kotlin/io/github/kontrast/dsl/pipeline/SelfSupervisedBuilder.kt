package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.dsl.optim.LearningRateSchedule
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.optim.Schedules
import io.github.kontrast.dsl.optim.adam

/**
 * What the two-view methods (SimCLR, MoCo v3, SimSiam, SwAV, SupCon) are configured with beyond
 * [PipelineBuilder]'s settings: the projection head, in-graph preprocessing, and the planned
 * length of training, which the schedules need.
 *
 * Defaults shared by every method: input 28x28x1, [Encoders.smallCnn] as the encoder, no
 * preprocessing. The optimizer, when none is set: Adam with a linear warmup over the first 10% of
 * [trainingSteps] to 1e-3 and a cosine decay to 0 at [trainingSteps] (SimCLR's schedule shape;
 * Adam rather than LARS because LARS pays off at batches of thousands, not the hundreds a CPU
 * trains with), or Adam(1e-3) at a constant rate when [trainingSteps] is not given. Set
 * `optimizer = lars(warmupCosine(0.3 * batchSize / 256))` for SimCLR's own recipe.
 */
abstract class SelfSupervisedBuilder<B : SelfSupervisedBuilder<B, M>, M : Pipeline> protected constructor() :
  PipelineBuilder<B, M>(intArrayOf(28, 28, 1), "encoder") {

  /** The projection head g(h) trained with the loss and dropped afterwards; null: the method's default. */
  var projector: Sequential? = null

  /** Graph ops applied to every view before the encoder, kept in `embed` and in the exported SavedModel. */
  var preprocessing: Preprocessing = Preprocessing.NONE

  /**
   * The planned number of updates (epochs times batches per epoch). It sets the length of the
   * default warmup + cosine learning rate, of [warmupCosine], and of schedules over training such
   * as MoCo v3's momentum. Null: unknown (constant rates).
   */
  var trainingSteps: Long? = null
    set(value) {
      require(value == null || value > 0) { "trainingSteps: expected a number of updates > 0, got $value" }
      field = value
    }

  // the optimizer PipelineBuilder starts with: still this one in build() means "not set"
  private val unset: Optimizer = optimizer

  /** Sets [projector]. */
  fun projector(projector: Sequential): B = self.also { this.projector = projector }

  /** Kotlin: `projector { dense(256, activation = relu); dense(64) }`. */
  fun projector(block: SequentialBuilder.() -> Unit): B =
    projector(SequentialBuilder().apply { name = "projector" }.apply(block).build())

  /** Sets [preprocessing]. */
  fun preprocessing(preprocessing: Preprocessing): B = self.also { this.preprocessing = preprocessing }

  /** Sets [trainingSteps], the planned number of updates; it must be > 0. */
  fun trainingSteps(steps: Long): B = self.also { this.trainingSteps = steps }

  /** [ProjectionHeads.mlp] inside a DSL block without an import: `projector = mlp(256, 64)`. */
  @JvmOverloads
  fun mlp(hidden: Int, output: Int, layers: Int = 2, batchNorm: Boolean = false, lastBatchNorm: Boolean = false, name: String = "projector"): Sequential =
    ProjectionHeads.mlp(hidden, output, layers, batchNorm, lastBatchNorm, name)

  /**
   * Linear warmup over the first [warmupFraction] of [trainingSteps] to [peak], then a cosine to 0
   * at [trainingSteps] ([Schedules.warmupCosine]); set [trainingSteps] first.
   */
  @JvmOverloads
  fun warmupCosine(peak: Double, warmupFraction: Double = 0.1): LearningRateSchedule {
    val steps = trainingSteps ?: throw IllegalStateException("warmupCosine needs trainingSteps (epochs times batches per epoch): set it first")
    require(warmupFraction >= 0.0 && warmupFraction < 1.0) { "warmupFraction: expected a fraction in [0, 1), got $warmupFraction" }
    return Schedules.warmupCosine(peak, (steps * warmupFraction).toLong(), steps)
  }

  /** The optimizer build() uses: the one set, or the default described above. */
  protected fun chosenOptimizer(): Optimizer = when {
    optimizer !== unset -> optimizer
    trainingSteps != null -> adam(warmupCosine(DEFAULT_PEAK))
    else -> optimizer
  }

  /** The shared settings with [chosenOptimizer]. */
  protected fun selfSupervisedSettings(): PipelineSettings = PipelineSettings(seed, chosenOptimizer(), verbosity, batchSize, session, precision)

  /** The encoder set, or the default. */
  protected fun chosenEncoder(): Sequential = encoder ?: Encoders.smallCnn()

  private companion object {
    const val DEFAULT_PEAK = 1e-3
  }
}
