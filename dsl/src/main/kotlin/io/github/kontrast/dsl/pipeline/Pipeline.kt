package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.CompiledGraph
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.SessionConfig
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.precision.Precision
import java.nio.file.Path

/**
 * The base of every training pipeline (Keras' `Model` is the pattern): it owns the graph, the
 * [Trainer] and everything methods share: [fit], [evaluate], [predict], [embed], [summary],
 * [save], [restore], [export], [close], callbacks, [verbosity], [step] and [epoch].
 *
 * A method (Siamese, SimCLR, CLIP, ...) writes only what is its own:
 * - its graph, as a [GraphDefinition] passed to this constructor: inputs by batch-array name,
 *   encoder instances, loss terms, metrics, named outputs and the embedding `embed` and `export`
 *   use. The definition runs in this constructor, before the subclass's own fields exist, so it
 *   must read only its own arguments (a lambda in the super-constructor call cannot reach `this`);
 * - its summary rows ([summaryRows]) and the tables printed under them ([summaryTables]);
 * - its throughput [unit] ("pairs", "images", "image-text pairs").
 *
 * Holds a TensorFlow graph and session: [close] it.
 */
abstract class Pipeline protected constructor(
  settings: PipelineSettings,
  /** What one training example is, for throughput in the progress line and [History]: "pairs". */
  val unit: String,
  definition: GraphDefinition,
) : AutoCloseable {
  /** Seed of the weights, the batch order and the random ops (see [Trainer]). */
  val seed: Long = settings.seed

  /** The optimizer the pipeline trains with. */
  val optimizer: Optimizer = settings.optimizer

  /** The static training batch size ([PipelineBuilder.batchSize]); null: batches of any size. */
  val batchSize: Int? = settings.batchSize

  /** The TensorFlow session's options the pipeline runs with ([PipelineBuilder.session]). */
  val session: SessionConfig = settings.session

  /** What the encoders compute in (see [Precision]); losses are always float32. */
  val precision: Precision = settings.precision

  private val compiled: CompiledGraph
  private val trainer: Trainer

  /** What [embed] computes and [export] writes; null when the method declares no embedding. */
  val embedding: EmbeddingSpec?

  init {
    val g = GraphBuilder(seed, settings.session.device, settings.precision)
    val built = try {
      val scope = PipelineGraph(g, settings.batchSize)
      definition.build(scope)
      scope.embeddingSpec to g.compile(settings.optimizer)
    } catch (e: Throwable) {
      g.close()
      throw e
    }
    embedding = built.first
    compiled = built.second
    trainer = try {
      Trainer(compiled, seed, settings.session)
    } catch (e: Throwable) {
      compiled.close()
      throw e
    }
    trainer.verbosity = settings.verbosity
    trainer.unit = unit
  }

  /** The title of [summary], e.g. "siamese". */
  protected abstract val name: String

  /** The rows of the network's table in [summary]: inputs, encoders, heads. */
  protected abstract fun summaryRows(): List<ModelSummary.Row>

  /** Tables printed under the network's, typically each encoder's own. */
  protected open fun summaryTables(): List<ModelSummary> = emptyList()

  /** What [fit] prints; see [Verbosity]. */
  var verbosity: Verbosity
    get() = trainer.verbosity
    set(value) { trainer.verbosity = value }

  /** Shorthand for [verbosity]: true = epoch lines only ([Verbosity.EPOCHS]), false = also the progress bar. */
  var quiet: Boolean
    get() = trainer.quiet
    set(value) { trainer.quiet = value }

  /** Updates done so far (continues after [restore]). */
  val step: Long get() = trainer.step

  /** Epochs done so far (continues after [restore]). */
  val epoch: Int get() = trainer.epoch

  /** The names of the per-example outputs [predict] can fetch. */
  val outputs: Set<String> get() = compiled.outputs.keys

  /**
   * The network's summary: the method's rows and the parameters of every variable the model
   * holds (optimizer state aside), each counted once however often it is applied. With [print]
   * (the default) it is printed, followed by [summaryTables]; notebooks that render the returned
   * value pass false.
   */
  @JvmOverloads
  fun summary(print: Boolean = true): ModelSummary {
    val model = compiled.variables.all.filter { !it.isSlot }
    val network = ModelSummary(
      name,
      summaryRows(),
      model.filter { it.trainable }.sumOf { it.count.toLong() },
      model.filter { !it.trainable }.sumOf { it.count.toLong() },
    )
    if (print) {
      println(network)
      summaryTables().forEach { println(it) }
    }
    return network
  }

  /**
   * Trains for [epochs] more epochs (numbering continues after [restore]): one Session.run per
   * batch. Validation, if given, runs after each epoch and adds "val_" keys; with [checkpoint] the
   * state is saved there after each epoch. History keys: "loss" (the total), "<term>_loss" for
   * each term when the loss has several, then the metrics. With a static [batchSize] the batch
   * size defaults to it, another one is refused, and a last, smaller batch is dropped.
   */
  @JvmOverloads
  fun fit(
    train: Dataset,
    validation: Dataset? = null,
    epochs: Int = 1,
    batchSize: Int = this.batchSize ?: 32,
    callbacks: List<Callback> = emptyList(),
    checkpoint: Path? = null,
  ): History {
    checkBatch("training", train, batchSize)
    validation?.let { checkBatch("validation", it, batchSize) }
    return trainer.fit(train, validation, epochs, batchSize, standingCallbacks() + callbacks, checkpoint, dropLast = this.batchSize != null)
  }

  /** With a static [batchSize]: the one [batchSize] accepted, and at least one full batch in [data]. */
  private fun checkBatch(role: String, data: Dataset, batchSize: Int) {
    val static = this.batchSize ?: return
    require(batchSize == static) { "batchSize: this pipeline's loss is built for batches of $static (the builder's batchSize), got $batchSize" }
    require(data.size >= static) { "the $role dataset has ${data.size} examples, fewer than one batch of $static (the builder's batchSize)" }
  }

  /** Callbacks the method runs in every [fit], before the caller's (the Siamese pipeline's [io.github.kontrast.dsl.engine.LabelConventionGuard]). */
  protected open fun standingCallbacks(): List<Callback> = emptyList()

  /**
   * The loss (and its terms) and metrics over [dataset] in inference mode, e.g. "loss",
   * "pair_accuracy"; with a static [batchSize], over its full batches only.
   */
  @JvmOverloads
  fun evaluate(dataset: Dataset, batchSize: Int = this.batchSize ?: 32): Map<String, Double> {
    checkBatch("evaluation", dataset, batchSize)
    return trainer.evaluate(dataset, batchSize, dropLast = this.batchSize != null)
  }

  /**
   * The named per-example [output] for every example of [dataset], in order, in inference mode
   * (floats or ints as the output is). Only the batch arrays the output depends on are read.
   */
  @JvmOverloads
  fun predict(dataset: Dataset, output: String, batchSize: Int = 32): HostArray = trainer.predict(dataset, batchSize, output)

  /** The embedding of every image: `[N]` + input shape -> `[N, D]`, in inference mode. */
  @JvmOverloads
  fun embed(images: FloatHostArray, batchSize: Int = 32): FloatHostArray {
    val spec = embeddingSpec()
    return trainer.predict(ArrayDataset(mapOf(spec.input to images)), batchSize, EMBEDDING, listOf(spec.input)) as FloatHostArray
  }

  /** Embeds the images of batch array [arrayName] (by default the embedding's own input) of a whole dataset, for k-NN or search. */
  @JvmOverloads
  fun embed(dataset: Dataset, batchSize: Int = 32, arrayName: String = embeddingSpec().input): FloatHostArray {
    val spec = embeddingSpec()
    val renamed = if (arrayName == spec.input) dataset else object : Dataset {
      override val size get() = dataset.size
      override fun batch(indices: IntArray) = Batch(mapOf(spec.input to dataset.batch(indices)[arrayName]))
    }
    return trainer.predict(renamed, batchSize, EMBEDDING, listOf(spec.input)) as FloatHostArray
  }

  /** Saves weights, optimizer state and counters atomically. */
  fun save(path: Path) = trainer.save(path)

  /** Loads what [save] wrote, from a model of the same structure. */
  fun restore(path: Path) = trainer.restore(path)

  /**
   * Writes the trained encoder to [dir] as a TensorFlow SavedModel (tag "serve"): signature
   * "serving_default", input "image" (float32, `[N]` + input shape, as the dataset yields images;
   * the pipeline's preprocessing is inside), output "embedding" (float32, [N, D]), in inference
   * mode (no dropout, moving statistics). TensorFlow for Python, TF Serving and TF Java's
   * SavedModelBundle load it. An existing export in [dir] is replaced.
   */
  open fun export(dir: Path) {
    val values = trainer.checkpoint().values
    SavedModelExport.write(dir, embeddingSpec(), values, seed)
  }

  /** Closes the session and the graph; the model cannot be used afterwards. */
  override fun close() {
    trainer.close()
    compiled.close()
  }

  /** The trainer under this pipeline, for inspection runs ([Trainer.fetch]) and tests. */
  internal val engine: Trainer get() = trainer

  private fun embeddingSpec(): EmbeddingSpec =
    embedding ?: throw IllegalStateException("${javaClass.simpleName} declares no embedding: nothing to embed or export")

  companion object {
    /** The output name of the declared embedding. */
    const val EMBEDDING = "embedding"
  }
}

/**
 * The settings every pipeline has; a [PipelineBuilder] collects them.
 *
 * @property seed seed of the weights, the batch order and the random ops.
 * @property optimizer the optimizer the pipeline trains with.
 * @property verbosity how much fit prints.
 * @property precision what the encoders compute in; float32 by default.
 */
class PipelineSettings @JvmOverloads constructor(
  val seed: Long,
  val optimizer: Optimizer,
  val verbosity: Verbosity,
  /** The static training batch size; null: any (see [PipelineBuilder.batchSize]). */
  val batchSize: Int? = null,
  /** The TensorFlow session's options (see [PipelineBuilder.session]). */
  val session: SessionConfig = SessionConfig.DEFAULT,
  val precision: Precision = Precision.FLOAT32,
)
