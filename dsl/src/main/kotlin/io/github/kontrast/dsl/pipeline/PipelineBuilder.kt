package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.SessionConfig
import io.github.kontrast.dsl.engine.SessionConfigBuilder
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.precision.Precision

/**
 * The settings every pipeline builder shares: seed, input shape, encoder, optimizer (with its
 * learning-rate schedule) and verbosity. Kotlin sets them as properties in the receiver of a
 * DSL block (`siamese { seed = 42; input(28, 28, 1); optimizer = adam(1e-3) }`); Java chains the
 * fluent methods, which return the concrete builder [B] so that its own settings follow
 * (`Siamese.builder().seed(42).input(28, 28, 1).threshold(0.5f).build()`).
 *
 * @param B the concrete builder (`class SiameseBuilder : PipelineBuilder<SiameseBuilder, SiameseModel>`)
 * @param M the pipeline it builds
 * @param defaultInput the input shape per example when [input] is not called
 * @param defaultEncoderName the name an encoder written with `encoder { ... }` gets
 */
abstract class PipelineBuilder<B : PipelineBuilder<B, M>, M : Pipeline> protected constructor(
  defaultInput: IntArray,
  private val defaultEncoderName: String,
) {
  /** Seeds initial weights, dropout masks and the batch order. */
  var seed: Long = 0L

  /** Per-example input shape, e.g. [28, 28, 1]. */
  var inputShape: IntArray = defaultInput.copyOf()

  /** Null: the method's default encoder. */
  var encoder: Sequential? = null

  /** The optimizer and its learning-rate schedule; Adam(1e-3) by default, Keras' default. */
  var optimizer: Optimizer = io.github.kontrast.dsl.optim.adam()

  /** What fit prints. */
  var verbosity: Verbosity = Verbosity.PROGRESS_BAR

  /**
   * The static training batch size, or null (the default): batches of any size. Set, the loss is
   * built for exactly this many examples per batch (Keras' `Input(batch_size=...)`): `fit` and
   * `evaluate` use it by default and refuse another, and drop a last, smaller batch; `embed` and
   * `predict` still take any size. Pipelines with a chunked loss form ([LossForm]) need it to
   * choose one.
   */
  var batchSize: Int? = null
    set(value) {
      require(value == null || value > 0) { "batchSize: expected a static batch size > 0 (or null), got $value" }
      field = value
    }

  /**
   * What the encoders compute in: [Precision.FLOAT32] (the default), [Precision.BFLOAT16] or
   * [Precision.FLOAT16] (with loss scaling). Weights stay float32 and losses are float32.
   */
  var precision: Precision = Precision.FLOAT32

  /** Shorthand for [verbosity]: true = epoch lines without a progress bar ([Verbosity.EPOCHS]). */
  var quiet: Boolean
    get() = verbosity != Verbosity.PROGRESS_BAR
    set(value) { verbosity = if (value) Verbosity.EPOCHS else Verbosity.PROGRESS_BAR }

  /**
   * The TensorFlow session's options: device placement, GPU memory growth, visible GPUs, soft
   * placement, placement logging ([SessionConfig]). By default what the `kontrast.*` system
   * properties say ([SessionConfig.fromProperties]; `KONTRAST_GPU=1 ./kontrast` sets them), and
   * TensorFlow's own defaults when none is set.
   */
  var session: SessionConfig = SessionConfig.fromProperties()

  @Suppress("UNCHECKED_CAST")
  protected val self: B get() = this as B

  /** Sets [seed]; Java's counterpart of `seed = 42`. */
  fun seed(seed: Long): B = self.also { this.seed = seed }

  /** Sets [inputShape], the per-example shape, e.g. `input(28, 28, 1)`; every dimension must be > 0. */
  fun input(vararg shape: Int): B {
    require(shape.isNotEmpty() && shape.all { it > 0 }) { "input shape must have positive dimensions, got ${shape.contentToString()}" }
    inputShape = shape.copyOf()
    return self
  }

  /** Sets [encoder], the model that embeds each input. */
  fun encoder(encoder: Sequential): B = self.also { this.encoder = encoder }

  /** Kotlin: `encoder { conv2d(128, 2, activation = relu); ... }`. */
  fun encoder(block: SequentialBuilder.() -> Unit): B =
    encoder(SequentialBuilder().apply { name = defaultEncoderName }.apply(block).build())

  /** Sets [optimizer], e.g. `optimizer(Optimizers.adam(1e-3))` from Java. */
  fun optimizer(optimizer: Optimizer): B = self.also { this.optimizer = optimizer }

  /** Sets [batchSize], the static training batch size (> 0). */
  fun batchSize(batchSize: Int): B = self.also { this.batchSize = batchSize }

  /** Sets [session], the TensorFlow session's options: `session(SessionConfig.DEFAULT.withDevice("/GPU:0"))`. */
  fun session(config: SessionConfig): B = self.also { this.session = config }

  /** Kotlin: `session { device = "/GPU:0"; allowGrowth = true }`, starting from the current [session]. */
  fun session(block: SessionConfigBuilder.() -> Unit): B = session(SessionConfigBuilder(session).apply(block).build())

  /** Sets [precision], e.g. `precision(Precision.BFLOAT16)` from Java. */
  fun precision(precision: Precision): B = self.also { this.precision = precision }

  /** Sets [verbosity], what fit prints. */
  fun verbosity(verbosity: Verbosity): B = self.also { this.verbosity = verbosity }

  /** Sets [quiet]: true prints one line per epoch, false the progress bar. */
  fun quiet(quiet: Boolean): B = self.also { this.quiet = quiet }

  /** Adam inside a DSL block without an import: `optimizer = adam(1e-3)` (the same as the top-level `adam`). */
  fun adam(learningRate: Double): Optimizer = io.github.kontrast.dsl.optim.adam(learningRate)

  /** The pipeline, its graph built and its variables initialized. */
  abstract fun build(): M

  /** The shared settings as the [Pipeline] constructor takes them. */
  protected fun settings(): PipelineSettings = PipelineSettings(seed, optimizer, verbosity, batchSize, session, precision)
}
