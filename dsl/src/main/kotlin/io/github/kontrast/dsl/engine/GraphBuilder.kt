package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ForwardContext
import io.github.kontrast.dsl.metrics.MetricTensors
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.optim.Parameter
import io.github.kontrast.dsl.optim.StepInputs
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TBool
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import org.tensorflow.types.TInt64

/**
 * Builds the one graph of a pipeline: named inputs (matched to batch arrays by name), variables,
 * the forward pass, the loss, metrics, and at [compile] the gradients, the optimizer's update, the
 * layers' update ops and any after-step ops. It only builds; [Trainer] runs what it compiled.
 *
 * Graph-wide per-run inputs are created here: the training flag (default false), the step's
 * random seed, the learning rate and the 1-based step number.
 */
class GraphBuilder(val seed: Long) {
  val graph = Graph()
  val tf: Ops = Ops.create(graph)

  /** Every variable of the graph. */
  val variables = VariableStore(tf, seed)

  internal val trainingFlag: Operand<TBool> = tf.withName("kontrast.training").placeholderWithDefault(tf.constant(false), Shape.scalar())

  /** 1.0 while training, 0.0 otherwise. */
  val training: Operand<TFloat32> = tf.dtypes.cast(trainingFlag, TFloat32::class.java)

  internal val stepSeed: Operand<TInt64> =
    tf.withName("kontrast.step_seed").placeholderWithDefault(tf.constant(longArrayOf(seed, 0L)), Shape.of(2))

  internal val learningRate: Placeholder<TFloat32> =
    tf.withName("kontrast.learning_rate").placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))
  internal val stepNumber: Placeholder<TFloat32> =
    tf.withName("kontrast.step").placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))

  /** What layers' forward passes read; one context for the whole graph so random seeds stay distinct. */
  val forward = ForwardContext(tf, training, stepSeed)

  private val inputs = LinkedHashMap<String, InputSpec>()
  private val afterStep = mutableListOf<(Ops) -> Op>()
  private var compiled = false

  /** A float input named after the batch array it reads; [perExample] excludes the batch dimension. */
  fun floatInput(name: String, perExample: IntArray): Placeholder<TFloat32> =
    addInput(name, perExample, ElementType.FLOAT, TFloat32::class.java)

  /** An int input (token ids, class labels). */
  fun intInput(name: String, perExample: IntArray): Placeholder<TInt32> =
    addInput(name, perExample, ElementType.INT, TInt32::class.java)

  private fun <T : org.tensorflow.types.family.TType> addInput(name: String, perExample: IntArray, type: ElementType, cls: Class<T>): Placeholder<T> {
    require(name.matches(Regex("[A-Za-z0-9_.\\-]+"))) { "input name must be letters, digits, '_', '.', '-', got '$name'" }
    require(name !in inputs) { "input '$name' is declared twice" }
    require(perExample.all { it > 0 }) { "input '$name' needs positive dimensions, got ${perExample.contentToString()}" }
    val shape = Shape.of(-1L, *perExample.map { it.toLong() }.toLongArray())
    val p = tf.withName("input.$name").placeholder(cls, Placeholder.shape(shape))
    inputs[name] = InputSpec(name, perExample.copyOf(), type, p)
    return p
  }

  /**
   * Registers ops to run after every training step, once the update is applied (MoCo's EMA copy,
   * CLIP's temperature clamp). The function receives an [Ops] whose ops depend on the train step.
   */
  fun afterStep(build: (Ops) -> Op) {
    check(!compiled) { "afterStep after compile" }
    afterStep += build
  }

  /**
   * Finishes the graph. With an [optimizer], adds gradients of [loss] for [trainable] (default:
   * every trainable variable), the update, the layers' update ops and the after-step ops.
   *
   * @param trainable the parameters to update, taken from [VariableStore.trainable] (their names
   *   are variable paths, which optimizer slots are keyed by); a subset freezes the rest
   * @param metrics per-batch sums and counts by history key
   * @param outputs per-example tensors by name, for predict/embed (first dimension = batch)
   */
  @JvmOverloads
  fun compile(
    loss: Operand<TFloat32>,
    metrics: Map<String, MetricTensors> = emptyMap(),
    outputs: Map<String, Operand<TFloat32>> = emptyMap(),
    optimizer: Optimizer? = null,
    trainable: List<Parameter>? = null,
  ): CompiledGraph {
    check(!compiled) { "compile called twice" }
    require(loss.shape().numDimensions() == 0) { "loss must be a scalar, got shape ${loss.shape()}" }
    require("loss" !in metrics) { "metric name 'loss' is reserved for the loss" }
    compiled = true
    // one fetch per step: the loss and every metric's sum and count stacked in one vector
    val statParts = mutableListOf<Operand<TFloat32>>(loss)
    metrics.values.forEach { statParts += it.sum; statParts += it.count }
    val stats = tf.withName("kontrast.stats").stack(statParts)

    var trainTarget: Op? = null
    if (optimizer != null) {
      val params = trainable ?: variables.trainable
      require(params.isNotEmpty()) { "nothing to train: the graph has no trainable variables" }
      val grads = tf.gradients(loss, params.map { it.variable })
      val pairs = params.mapIndexed { i, p ->
        @Suppress("UNCHECKED_CAST")
        val g = grads.dy<TFloat32>(i) as Operand<TFloat32>?
          ?: throw IllegalArgumentException("the loss does not depend on '${p.name}': freeze it or leave it out of trainable")
        p to g
      }
      val apply = optimizer.applyGradients(tf.withSubScope("optimizer"), pairs, StepInputs(learningRate, stepNumber), variables)
      val step = tf.withControlDependencies(listOf(apply) + forward.updateOps).withName("kontrast.train_step").noOp()
      val after = afterStep.map { it(tf.withControlDependencies(listOf<Op>(step))) }
      trainTarget = if (after.isEmpty()) step else tf.withControlDependencies(after).withName("kontrast.after_step").noOp()
    }
    variables.seal()
    // an identity per output: an output may be an input itself, and a fed tensor cannot be fetched
    val named = outputs.mapValues { (_, op) -> tf.identity(op) as Operand<TFloat32> }
    return CompiledGraph(this, inputs.values.toList(), stats, metrics.keys.toList(), named, trainTarget, optimizer)
  }
}

/** One declared input: its batch array name, per-example shape and element type. */
class InputSpec(val name: String, val shape: IntArray, val type: ElementType, val placeholder: Placeholder<*>)
