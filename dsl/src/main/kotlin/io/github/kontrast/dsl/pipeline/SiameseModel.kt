package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.metrics.Metric
import io.github.kontrast.dsl.metrics.PairOutputs
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.distances.Distance
import io.github.kontrast.losses.PairConvention
import java.nio.file.Path

/**
 * A Siamese network (document 001): one [encoder] applied to both images of a pair (shared
 * weights), the [distance] between the two embeddings, a contrastive [loss] on that distance and
 * pair metrics. It reads batches with [Batch.FIRST], [Batch.SECOND] (images of [inputShape]) and
 * [Batch.LABEL] (one 0/1 per pair, read through the loss's convention).
 *
 * Built by [SiameseBuilder] (`siamese { ... }` in Kotlin, `Siamese.builder()...build()` in Java).
 * Holds a TensorFlow graph and session: [close] it.
 */
class SiameseModel internal constructor(
  val encoder: Sequential,
  inputShape: IntArray,
  val distance: Distance,
  val loss: ContrastiveLoss,
  val optimizer: Optimizer,
  val threshold: Float,
  val seed: Long,
  val metrics: List<Metric<PairOutputs>>,
) : AutoCloseable {
  private val shape = inputShape.copyOf()

  /** Per-example image shape, e.g. [28, 28, 1]. */
  val inputShape: IntArray get() = shape.copyOf()

  /** Embedding size per example, e.g. [128]. */
  val embeddingShape: IntArray = encoder.outputShape(shape)

  private val trainer: Trainer

  init {
    require(encoder.inputType == ElementType.FLOAT) { "a Siamese encoder must read float images, its first layer reads ${encoder.inputType}" }
    require(embeddingShape.size == 1) {
      "the encoder must end in one vector per example (add flatten() or globalAveragePooling()), it ends in ${ModelSummary.shape(embeddingShape)}"
    }
    val names = metrics.map { it.name }
    require(names.toSet().size == names.size) { "metric names must be unique, got $names" }
    val g = GraphBuilder(seed)
    try {
      val tf = g.tf
      val first = g.floatInput(Batch.FIRST, shape)
      val second = g.floatInput(Batch.SECOND, shape)
      val label = g.floatInput(Batch.LABEL, IntArray(0))
      val twin = encoder.instantiate(g.variables, shape)
      val e1 = twin.apply(g.forward, first)
      val e2 = twin.apply(g.forward, second)
      val d = tf.withName("distance").identity(distance.pairwise(tf, e1, e2))
      val lossValue = loss.callOnDistance(tf, d, label)
      val similar = if (loss.convention() == PairConvention.ONE_MEANS_SIMILAR) label else tf.math.sub(tf.constant(1f), label)
      val pairs = PairOutputs(d, tf.stopGradient(similar), distance.isSimilarity())
      val metricTensors = metrics.associate { it.name to it.build(tf, pairs) }
      val compiled = g.compile(lossValue, metricTensors, mapOf(DISTANCE to d, EMBEDDING to e1), optimizer)
      trainer = Trainer(compiled, seed)
    } catch (e: Throwable) {
      g.graph.close()
      throw e
    }
  }

  /** No progress bar and no epoch lines during [fit]. */
  var quiet: Boolean
    get() = trainer.quiet
    set(value) { trainer.quiet = value }

  /** Updates done so far (continues after [restore]). */
  val step: Long get() = trainer.step

  /** Epochs done so far (continues after [restore]). */
  val epoch: Int get() = trainer.epoch

  /** The encoder's own Keras-style table (document 001's twin: 107,456 parameters). */
  fun encoderSummary(): ModelSummary = encoder.summary(shape)

  /**
   * The network's summary as Keras shows document 001's model: two inputs, the shared twin (its
   * parameters counted once), the distance. With [print] (the default) it is printed, followed by
   * the twin's own table; notebooks that render the returned value pass false.
   */
  @JvmOverloads
  fun summary(print: Boolean = true): ModelSummary {
    val twin = encoder.summary(shape)
    val rows = listOf(
      ModelSummary.Row(Batch.FIRST, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
      ModelSummary.Row(Batch.SECOND, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
      ModelSummary.Row(encoder.name, "Sequential, shared", ModelSummary.shape(embeddingShape), twin.totalParams),
      ModelSummary.Row("distance", distance.name(), ModelSummary.shape(IntArray(0)), 0),
    )
    val network = ModelSummary("siamese", rows, twin.trainableParams, twin.nonTrainableParams)
    if (print) {
      println(network)
      println(twin)
    }
    return network
  }

  /** Trains for [epochs] more epochs; see [Trainer.fit]. */
  @JvmOverloads
  fun fit(
    train: Dataset,
    validation: Dataset? = null,
    epochs: Int = 1,
    batchSize: Int = 32,
    callbacks: List<Callback> = emptyList(),
    checkpoint: Path? = null,
  ): History = trainer.fit(train, validation, epochs, batchSize, callbacks, checkpoint)

  /** Loss and metrics over [dataset] in inference mode: "loss", "pair_accuracy", ... */
  @JvmOverloads
  fun evaluate(dataset: Dataset, batchSize: Int = 32): Map<String, Double> = trainer.evaluate(dataset, batchSize)

  /** The distance of every pair of [dataset], in order: [size]. Labels are not needed. */
  @JvmOverloads
  fun predict(dataset: Dataset, batchSize: Int = 32): FloatHostArray =
    trainer.predict(dataset, batchSize, DISTANCE, listOf(Batch.FIRST, Batch.SECOND))

  /** Whether each pair is predicted similar: distance < threshold (> for a similarity). */
  fun predictSimilar(distances: FloatHostArray): BooleanArray =
    BooleanArray(distances.data.size) { if (distance.isSimilarity()) distances.data[it] > threshold else distances.data[it] < threshold }

  /** The embedding of every image: [N] + [inputShape] -> [N] + [embeddingShape]. */
  @JvmOverloads
  fun embed(images: FloatHostArray, batchSize: Int = 32): FloatHostArray =
    trainer.predict(ArrayDataset(mapOf(Batch.FIRST to images)), batchSize, EMBEDDING, listOf(Batch.FIRST))

  /** Embeds the [Batch.FIRST] (or [arrayName]) images of a whole dataset, for k-NN or search. */
  @JvmOverloads
  fun embed(dataset: Dataset, batchSize: Int = 32, arrayName: String = Batch.FIRST): FloatHostArray {
    val renamed = if (arrayName == Batch.FIRST) dataset else object : Dataset {
      override val size get() = dataset.size
      override fun batch(indices: IntArray) = Batch(mapOf(Batch.FIRST to dataset.batch(indices)[arrayName]))
    }
    return trainer.predict(renamed, batchSize, EMBEDDING, listOf(Batch.FIRST))
  }

  /** Saves weights, optimizer state and counters atomically. */
  fun save(path: Path) = trainer.save(path)

  /** Loads what [save] wrote, from a model of the same structure. */
  fun restore(path: Path) = trainer.restore(path)

  override fun close() = trainer.close()

  override fun toString(): String =
    "SiameseModel(encoder=${encoder.name}, input=${ModelSummary.shape(shape)}, distance=${distance.name()}, loss=$loss, optimizer=${optimizer.describe()})"

  companion object {
    /** Output names in the graph. */
    const val DISTANCE = "distance"
    const val EMBEDDING = "embedding"
  }
}
