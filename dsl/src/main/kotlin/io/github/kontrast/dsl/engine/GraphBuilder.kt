package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.distributed.Collectives
import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ForwardContext
import io.github.kontrast.dsl.layers.ParamSpec
import io.github.kontrast.dsl.layers.ParameterFactory
import io.github.kontrast.dsl.layers.SequentialInstance
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
import org.tensorflow.types.family.TType
import java.util.function.LongToDoubleFunction

/**
 * Builds the one graph of a pipeline: named inputs (matched to batch arrays by name), variables,
 * the forward pass, named and weighted loss terms, metrics, named outputs, and at [compile] the
 * gradients, the optimizer's update, the layers' update ops and any after-step ops. It only
 * builds; [Trainer] runs what it compiled.
 *
 * Graph-wide per-run inputs are created here: the training flag (default false), the step's
 * random seed, the learning rate, the 1-based [step] number and any [hostScalar].
 *
 * The graph belongs to this builder until [compile] hands it to the [CompiledGraph]; [close]
 * frees it only if that never happened (a build that failed half-way).
 *
 * @property seed the model seed: variables' initial values derive from it, and a [Trainer] seeds the batch order
 *   and the per-step random ops with it unless given another seed.
 */
class GraphBuilder(val seed: Long) : AutoCloseable {
  /** The graph being built. */
  val graph = Graph()

  /** The ops of [graph], for building the forward pass, losses and metrics. */
  val tf: Ops = Ops.create(graph)

  /** Every variable of the graph. */
  val variables = VariableStore(tf, seed)

  /**
   * The collective ops of data-parallel training when this graph is built inside
   * [DataParallel.replicate] with two or more workers, else null. With them, [compile] averages
   * the gradients and the step's statistics over the workers, and losses can gather negatives.
   */
  val collectives: Collectives? = DataParallel.collectivesFor(graph)

  internal val trainingFlag: Operand<TBool> = tf.withName("kontrast.training").placeholderWithDefault(tf.constant(false), Shape.scalar())

  /** 1.0 while training, 0.0 otherwise. */
  val training: Operand<TFloat32> = tf.dtypes.cast(trainingFlag, TFloat32::class.java)

  internal val stepSeed: Operand<TInt64> =
    tf.withName("kontrast.step_seed").placeholderWithDefault(tf.constant(longArrayOf(seed, 0L)), Shape.of(2))

  internal val learningRate: Placeholder<TFloat32> =
    tf.withName("kontrast.learning_rate").placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))

  /**
   * The 1-based number of the update a training step applies (1 in the first step), a float scalar
   * fed with every run as the learning rate is; after-step ops and optimizers read it.
   */
  val step: Placeholder<TFloat32> =
    tf.withName("kontrast.step").placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))

  /** What layers' forward passes read; one context for the whole graph so random seeds stay distinct. */
  val forward = ForwardContext(tf, training, stepSeed)

  private val inputs = LinkedHashMap<String, InputSpec>()
  private val afterStep = mutableListOf<(Ops) -> Op>()
  private val lossTerms = mutableListOf<LossTerm>()
  private val metrics = LinkedHashMap<String, MetricTensors>()
  private val outputs = LinkedHashMap<String, Operand<*>>()
  private val hostScalars = mutableListOf<HostScalar>()
  private var handedOver = false

  /** A float input named after the batch array it reads; [perExample] excludes the batch dimension. */
  fun floatInput(name: String, perExample: IntArray): Placeholder<TFloat32> =
    addInput(name, perExample, ElementType.FLOAT, TFloat32::class.java)

  /** An int input (token ids, class labels). */
  fun intInput(name: String, perExample: IntArray): Placeholder<TInt32> =
    addInput(name, perExample, ElementType.INT, TInt32::class.java)

  /** The input declared for batch array [name]. */
  fun input(name: String): InputSpec =
    inputs[name] ?: throw IllegalArgumentException("the graph has no input '$name'; it has ${inputs.keys}")

  private fun <T : TType> addInput(name: String, perExample: IntArray, type: ElementType, cls: Class<T>): Placeholder<T> {
    checkOpen()
    require(name.matches(Regex("[A-Za-z0-9_.\\-]+"))) { "input name must be letters, digits, '_', '.', '-', got '$name'" }
    require(name !in inputs) { "input '$name' is declared twice" }
    require(perExample.all { it > 0 }) { "input '$name' needs positive dimensions, got ${perExample.contentToString()}" }
    val shape = Shape.of(-1L, *perExample.map { it.toLong() }.toLongArray())
    val p = tf.withName("input.$name").placeholder(cls, Placeholder.shape(shape))
    inputs[name] = InputSpec(name, perExample.copyOf(), type, p)
    return p
  }

  /**
   * A float scalar that the host computes before every run from the 0-based index of the update
   * about to run (the value the learning-rate schedule sees), and feeds as it feeds the learning
   * rate: an EMA's tau, a temperature schedule. Costs nothing in a graph that declares none.
   */
  fun hostScalar(name: String, value: LongToDoubleFunction): Operand<TFloat32> {
    checkOpen()
    require(name.matches(Regex("[A-Za-z0-9_.\\-]+"))) { "host scalar name must be letters, digits, '_', '.', '-', got '$name'" }
    require(hostScalars.none { it.name == name }) { "host scalar '$name' is declared twice" }
    val p = tf.withName("kontrast.scalar.$name").placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))
    hostScalars += HostScalar(name, p, value)
    return p
  }

  /**
   * Adds a named loss term; the loss trained is the sum of every term times its [weight]. With
   * more than one term, History and the progress line show each (unweighted) as "<name>_loss"
   * next to the total "loss"; a single term is the total and shows only as "loss".
   */
  @JvmOverloads
  fun addLoss(name: String, value: Operand<TFloat32>, weight: Double = 1.0) {
    checkOpen()
    require(name.matches(Regex("[A-Za-z0-9_]+"))) { "loss term name must be letters, digits and '_', got '$name'" }
    require(lossTerms.none { it.name == name }) { "loss term '$name' is added twice" }
    require(weight.isFinite()) { "weight of loss term '$name' must be finite, got $weight" }
    require(value.shape().numDimensions() == 0) { "loss term '$name' must be a scalar, got shape ${value.shape()}" }
    lossTerms += LossTerm(name, value, weight)
  }

  /** Adds a metric: a per-batch sum and count, reported as sum / count over an epoch under [name]. */
  fun addMetric(name: String, tensors: MetricTensors) {
    checkOpen()
    require(name != "loss") { "metric name 'loss' is reserved for the loss" }
    require(name !in metrics) { "metric '$name' is added twice" }
    metrics[name] = tensors
  }

  /**
   * Adds a per-example output (first dimension = batch) for predict and inspection runs: float32
   * or int32 (int64 and bool are fetched as int32).
   */
  fun addOutput(name: String, value: Operand<*>) {
    checkOpen()
    require(name !in outputs) { "output '$name' is added twice" }
    outputs[name] = value
  }

  /**
   * Registers ops to run after every training step, once the update is applied (an EMA copy,
   * CLIP's temperature clamp). The function receives an [Ops] whose ops depend on the train step;
   * they may read [step] and any [hostScalar].
   */
  fun afterStep(build: (Ops) -> Op) {
    checkOpen()
    afterStep += build
  }

  /**
   * A momentum (EMA) copy of [online] under [scope]: the same layers with variables of their own
   * that start equal to the online ones, are never trained, and after every training step move
   * toward the online weights: target = tau * target + (1 - tau) * online, with tau =
   * [schedule] at the 0-based step just done. Only the online encoder's trainable variables are
   * followed; statistics such as batch norm's moving mean stay the copy's own. Apply the copy
   * like any instance (MoCo's key encoder, BYOL's target).
   */
  fun momentumCopy(online: SequentialInstance, schedule: MomentumSchedule, scope: String): SequentialInstance {
    checkOpen()
    val sources = online.variables.map { v ->
      variables.all.firstOrNull { it.variable === v }
        ?: throw IllegalArgumentException("momentumCopy: the online encoder '${online.model.name}' was not created in this graph")
    }
    var k = 0
    val copy = online.model.instantiate(ParameterFactory { path, spec: ParamSpec ->
      val source = sources[k++]
      variables.variable(path, spec.shape, variables.sameAs(source.path), trainable = false)
    }, online.inputShape, scope, frozen = true)
    val tau = hostScalar("$scope.tau") { schedule.tau(it) }
    val pairs = sources.zip(copy.variables).filter { (source, _) -> source.trainable }
    afterStep { ops ->
      val oneMinusTau = ops.math.sub(ops.constant(1f), tau)
      val updates = pairs.map { (source, target) ->
        ops.assign(target, ops.math.add(ops.math.mul(target, tau), ops.math.mul(source.variable, oneMinusTau))) as Op
      }
      ops.withControlDependencies(updates).withName("$scope.ema").noOp()
    }
    return copy
  }

  /**
   * Finishes the graph. With an [optimizer], adds gradients of the total loss for [trainable]
   * (default: every trainable variable), the update, the layers' update ops and the after-step
   * ops. A trainable parameter that the loss does not reach fails here, naming it.
   *
   * @param trainable the parameters to update, taken from [VariableStore.trainable] (their names
   *   are variable paths, which optimizer slots are keyed by); a subset freezes the rest
   */
  @JvmOverloads
  fun compile(optimizer: Optimizer? = null, trainable: List<Parameter>? = null): CompiledGraph {
    checkOpen()
    require(lossTerms.isNotEmpty()) { "the graph has no loss: add at least one loss term" }
    val termKeys = if (lossTerms.size == 1) emptyList() else lossTerms.map { "${it.name}_loss" }
    val clash = termKeys.filter { it in metrics }
    require(clash.isEmpty()) { "metric names $clash clash with the loss terms' history keys" }
    val total = totalLoss()
    // one fetch per step: the loss, each term (if several) and every metric's sum and count stacked in one vector
    val statParts = mutableListOf(total)
    if (lossTerms.size > 1) lossTerms.forEach { statParts += it.value }
    metrics.values.forEach { statParts += it.sum; statParts += it.count }
    // data-parallel: every worker reports the group's values, the mean over workers of equal-sized slices
    val stats = collectives?.let { tf.withName("kontrast.stats").identity(it.allReduce(tf, tf.stack(statParts), mean = true)) }
      ?: tf.withName("kontrast.stats").stack(statParts)

    var trainTarget: Op? = null
    if (optimizer != null) {
      val params = trainable ?: variables.trainable
      require(params.isNotEmpty()) { "nothing to train: the graph has no trainable variables" }
      fun unreached(p: Parameter): Nothing = throw IllegalArgumentException(
        "the loss does not depend on the trainable parameter '${p.name}': freeze it (a momentum copy, a frozen backbone) or leave it out of trainable",
      )
      // a variable outside the loss's graph makes TensorFlow itself refuse, naming only the op: find it first
      val upstream = graph.subgraphTo(setOf<Operand<*>>(total))
      params.firstOrNull { it.variable.op() !in upstream }?.let { unreached(it) }
      val grads = tf.gradients(total, params.map { it.variable })
      val pairs = params.mapIndexed { i, p ->
        @Suppress("UNCHECKED_CAST")
        val g = grads.dy<TFloat32>(i) as Operand<TFloat32>?
        // upstream but behind a stopGradient: TF Java gives an output without an operation, not null
        if (g == null || !reaches(g)) unreached(p)
        p to g
      }.let { local -> collectives?.allReduceGradients(tf, local) ?: local }
      val apply = optimizer.applyGradients(tf.withSubScope("optimizer"), pairs, StepInputs(learningRate, step), variables)
      val stepOp = tf.withControlDependencies(listOf(apply) + forward.updateOps).withName("kontrast.train_step").noOp()
      val after = afterStep.map { it(tf.withControlDependencies(listOf<Op>(stepOp))) }
      trainTarget = if (after.isEmpty()) stepOp else tf.withControlDependencies(after).withName("kontrast.after_step").noOp()
    }
    variables.seal()
    // an identity per output: an output may be an input itself, and a fed tensor cannot be fetched
    val named = outputs.mapValues { (name, op) -> fetchable(name, op) }
    handedOver = true
    return CompiledGraph(
      this, inputs.values.toList(), stats, termKeys, metrics.keys.toList(), named, trainTarget, optimizer, hostScalars.toList(),
    )
  }

  /**
   * The single-loss form: [loss] as the only term, [metrics] and [outputs] by name. Hand-built
   * graphs (tests, benchmarks) use it; pipelines add terms, metrics and outputs one by one.
   */
  @JvmOverloads
  fun compile(
    loss: Operand<TFloat32>,
    metrics: Map<String, MetricTensors> = emptyMap(),
    outputs: Map<String, Operand<*>> = emptyMap(),
    optimizer: Optimizer? = null,
    trainable: List<Parameter>? = null,
  ): CompiledGraph {
    addLoss("loss", loss)
    metrics.forEach { (name, t) -> addMetric(name, t) }
    outputs.forEach { (name, op) -> addOutput(name, op) }
    return compile(optimizer, trainable)
  }

  /** Frees the graph unless [compile] handed it to a [CompiledGraph]. */
  override fun close() {
    if (!handedOver) graph.close()
  }

  /** One term with weight 1 is the total itself (no op), so a single-loss graph is what it always was. */
  private fun totalLoss(): Operand<TFloat32> {
    val weighted = lossTerms.map { if (it.weight == 1.0) it.value else tf.math.mul(it.value, tf.constant(it.weight.toFloat())) }
    return if (weighted.size == 1) weighted[0] else tf.withName("kontrast.total_loss").math.addN(weighted)
  }

  @Suppress("UNCHECKED_CAST")
  private fun fetchable(name: String, op: Operand<*>): Operand<*> = when (op.type()) {
    TFloat32::class.java -> tf.identity(op as Operand<TFloat32>)
    TInt32::class.java -> tf.identity(op as Operand<TInt32>)
    TInt64::class.java, TBool::class.java -> tf.dtypes.cast(op, TInt32::class.java)
    else -> throw IllegalArgumentException("output '$name' has type ${op.type().simpleName}; outputs must be float32, int32, int64 or bool")
  }

  private fun checkOpen() = check(!handedOver) { "the graph is compiled already" }

  private companion object {
    /**
     * Whether a gradient from tf.gradients is real. For a parameter the loss does not reach, TF
     * Java returns an output without an operation rather than null; touching it throws.
     */
    fun reaches(gradient: Operand<*>): Boolean =
      try {
        gradient.asOutput().dataType()
        true
      } catch (e: IllegalStateException) {
        false
      }
  }
}

/**
 * One declared input: its batch array name, per-example shape and element type.
 *
 * @property name the batch array it is fed from; also names the placeholder ("input.<name>").
 * @property shape the shape of one example, without the batch dimension.
 * @property type the element type, float or int.
 * @property placeholder the graph's placeholder, of shape `[-1, *shape]`.
 */
class InputSpec(val name: String, val shape: IntArray, val type: ElementType, val placeholder: Placeholder<*>)

/**
 * One named, weighted term of the loss.
 *
 * @property name the term's name; with several terms History shows it as "<name>_loss".
 * @property value the term, a float scalar.
 * @property weight the factor it enters the total loss with; 1 by default.
 */
class LossTerm(val name: String, val value: Operand<TFloat32>, val weight: Double)

/**
 * A scalar fed every run, computed on the host from the 0-based step.
 *
 * @property name its name; the placeholder is "kontrast.scalar.<name>".
 */
class HostScalar internal constructor(val name: String, internal val placeholder: Placeholder<TFloat32>, internal val value: LongToDoubleFunction)
