package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.distributed.Collectives
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.MomentumSchedule
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ForwardContext
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialInstance
import io.github.kontrast.dsl.metrics.Metric
import io.github.kontrast.dsl.metrics.MetricTensors
import io.github.kontrast.dsl.engine.VariableStore
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/**
 * What a method's [GraphDefinition] builds with: inputs named after batch arrays, encoder
 * instances (shared weights wherever an instance is applied twice), momentum copies, named and
 * weighted loss terms, metrics, named outputs, and the [embedding] that `embed` and `export` use.
 * The engine's [GraphBuilder] is underneath ([builder]) for anything else.
 *
 * @property builder the engine's builder of this graph, for what this class does not offer.
 */
class PipelineGraph internal constructor(val builder: GraphBuilder) {
  /** The graph's ops, for the method's own computations (distances, losses, outputs). */
  val tf: Ops get() = builder.tf

  /** What layers read: the training flag, the step's seeds. */
  val forward: ForwardContext get() = builder.forward

  /**
   * The collectives of data-parallel training ([GraphBuilder.collectives]), null on one worker. A
   * contrastive method passes them to its loss's gathered form, so its negatives are every worker's.
   */
  val collectives: Collectives? get() = builder.collectives

  /** Every variable of the graph (extra state such as a learnable temperature goes here). */
  val variables: VariableStore get() = builder.variables

  internal var embeddingSpec: EmbeddingSpec? = null
    private set

  /** A float input read from batch array [name]; [perExample] excludes the batch dimension. */
  fun floatInput(name: String, perExample: IntArray): Placeholder<TFloat32> = builder.floatInput(name, perExample)

  /** An int input read from batch array [name] (token ids, class labels). */
  fun intInput(name: String, perExample: IntArray): Placeholder<TInt32> = builder.intInput(name, perExample)

  /**
   * Creates [model]'s variables once, under [scope], for inputs of [input] per example. Apply the
   * instance to as many inputs as needed: they share the weights.
   */
  @JvmOverloads
  fun encoder(model: Sequential, input: IntArray, scope: String = model.name): SequentialInstance =
    model.instantiate(builder.variables, input, scope)

  /** A momentum (EMA) copy of [online]; see [GraphBuilder.momentumCopy]. */
  fun momentumCopy(online: SequentialInstance, schedule: MomentumSchedule, scope: String): SequentialInstance =
    builder.momentumCopy(online, schedule, scope)

  /** Adds a named loss term; the trained loss is the weighted sum of all terms (see [GraphBuilder.addLoss]). */
  @JvmOverloads
  fun addLoss(name: String, value: Operand<TFloat32>, weight: Double = 1.0) = builder.addLoss(name, value, weight)

  /** Adds [metrics] computed from the method's [outputs] (a Siamese pipeline's [io.github.kontrast.dsl.metrics.PairOutputs]). */
  fun <O> addMetrics(metrics: List<Metric<O>>, outputs: O) {
    val names = metrics.map { it.name }
    require(names.toSet().size == names.size) { "metric names must be unique, got $names" }
    metrics.forEach { builder.addMetric(it.name, it.build(tf, outputs)) }
  }

  /** Adds one metric's per-batch sum and count. */
  fun addMetric(name: String, tensors: MetricTensors) = builder.addMetric(name, tensors)

  /** A per-example output for `predict(dataset, name)`: float32, int32, int64 or bool. */
  fun addOutput(name: String, value: Operand<*>) = builder.addOutput(name, value)

  /** Ops to run after every training step; see [GraphBuilder.afterStep]. */
  fun afterStep(build: (Ops) -> Op) = builder.afterStep(build)

  /**
   * Declares the pipeline's embedding: the images of batch array [input] (already declared with
   * [floatInput]), through [preprocessing], through [encoder]. Returns the embedding of that
   * input, registered as output [Pipeline.EMBEDDING]; `embed` computes it and `export` writes it
   * as a SavedModel. [encoder] must end in one vector per example.
   */
  @JvmOverloads
  fun embedding(input: String, encoder: SequentialInstance, preprocessing: Preprocessing = Preprocessing.NONE): Operand<TFloat32> {
    check(embeddingSpec == null) { "the pipeline declares its embedding twice" }
    val spec = builder.input(input)
    require(spec.type == ElementType.FLOAT) { "the embedding's input '$input' must hold float images, it holds ${spec.type}" }
    require(encoder.inputShape.contentEquals(spec.shape)) {
      "the encoder '${encoder.model.name}' takes ${ModelSummary.shape(encoder.inputShape)}, the input '$input' gives ${ModelSummary.shape(spec.shape)}"
    }
    require(encoder.outputShape.size == 1) {
      "the encoder must end in one vector per example (add flatten() or globalAveragePooling()), it ends in ${ModelSummary.shape(encoder.outputShape)}"
    }
    val paths = encoder.variables.map { v ->
      variables.all.firstOrNull { it.variable === v }?.path
        ?: throw IllegalArgumentException("the encoder '${encoder.model.name}' was not created in this pipeline's graph")
    }
    @Suppress("UNCHECKED_CAST")
    val images = spec.placeholder as Placeholder<TFloat32>
    val e = encoder.apply(forward, preprocessing.apply(tf, images))
    builder.addOutput(Pipeline.EMBEDDING, e)
    embeddingSpec = EmbeddingSpec(input, spec.shape, encoder.model, paths, preprocessing, encoder.outputShape[0])
    return e
  }
}

/** How a method builds its graph; [Pipeline]'s constructor calls it once, before anything else. */
fun interface GraphDefinition {
  /** Declares the method's inputs, encoders, losses, metrics, outputs and embedding on [g]. */
  fun build(g: PipelineGraph)
}

/**
 * Graph ops applied to the images before the encoder (normalisation, resizing), in training, in
 * `embed` and inside an exported SavedModel alike, so exported models take images exactly as the
 * dataset yields them. Must use only constants: it is rebuilt in the export graph.
 */
fun interface Preprocessing {
  /** The preprocessed images, float `[B, ...]`, from [images] as the batch array holds them. */
  fun apply(tf: Ops, images: Operand<TFloat32>): Operand<TFloat32>

  companion object {
    /** The images as they come. */
    @JvmField
    val NONE: Preprocessing = Preprocessing { _, images -> images }
  }
}

/**
 * What `embed` computes and `export` writes: batch array [input] ([inputShape] per example)
 * through [preprocessing] and [encoder] to [size] numbers per example. [variablePaths] are the
 * training graph's paths of the encoder's variables, in the encoder's order.
 *
 * @property input the batch array the embedding reads.
 * @property inputShape the shape of one example of [input], without the batch dimension.
 * @property encoder the model that embeds, ending in one vector per example.
 * @property preprocessing the graph ops applied to the images before [encoder].
 * @property size the embedding's length: numbers per example.
 */
class EmbeddingSpec internal constructor(
  val input: String,
  val inputShape: IntArray,
  val encoder: Sequential,
  internal val variablePaths: List<String>,
  val preprocessing: Preprocessing,
  val size: Int,
)
