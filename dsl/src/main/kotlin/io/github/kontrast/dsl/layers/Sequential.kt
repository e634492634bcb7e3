package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32

/**
 * A stack of layers, each feeding the next: a description that knows its shapes and parameter
 * counts before any graph exists. [instantiate] creates its variables once in a graph; the
 * returned [SequentialInstance] can then be applied to any number of inputs, sharing the weights.
 *
 * @property name the model's name, in its summary and as the default variable scope; "sequential" by default.
 */
class Sequential @JvmOverloads constructor(layers: List<Layer>, val name: String = "sequential") {
  /** The layers, input first (a copy of the list given). */
  val layers: List<Layer> = layers.toList()

  init {
    require(this.layers.isNotEmpty()) { "a Sequential model needs at least one layer" }
    require(name.matches(Regex("[A-Za-z0-9_.\\-]+"))) { "model name must be letters, digits, '_', '.', '-', got '$name'" }
    val given = this.layers.mapNotNull { it.givenName }
    val dup = given.groupingBy { it }.eachCount().filterValues { it > 1 }.keys
    require(dup.isEmpty()) { "layer names must be unique within a model, repeated: $dup" }
  }

  /** Layer names: the given one, or Keras' default numbered per type ("conv2d", "conv2d_1", ...). */
  val layerNames: List<String> by lazy {
    val taken = layers.mapNotNull { it.givenName }.toMutableSet()
    val seen = HashMap<String, Int>()
    layers.map { layer ->
      layer.givenName ?: run {
        var name: String
        do {
          val n = seen.merge(layer.kerasName, 1, Int::plus)!! - 1
          name = if (n == 0) layer.kerasName else "${layer.kerasName}_$n"
        } while (name in taken)
        taken += name
        name
      }
    }
  }

  /** The element type the first layer reads. */
  val inputType: ElementType get() = layers.first().inputType

  /** Output shape (per example) of every layer for an input of [input]; fails naming the layer that cannot take its input. */
  fun shapes(input: IntArray): List<IntArray> {
    require(input.all { it > 0 }) { "input shape must have positive dimensions, got ${input.contentToString()}" }
    var shape = input
    return layers.mapIndexed { i, layer ->
      shape = try {
        layer.outputShape(shape)
      } catch (e: IllegalArgumentException) {
        throw IllegalArgumentException("layer '${layerNames[i]}' (${layer.typeName}): ${e.message}", e)
      }
      shape
    }
  }

  /** Output shape per example. */
  fun outputShape(input: IntArray): IntArray = shapes(input).last()

  /** The table Keras' summary() prints, for an input of [input]. */
  fun summary(input: IntArray): ModelSummary {
    val shapes = shapes(input)
    var trainable = 0L
    var frozen = 0L
    val rows = mutableListOf(ModelSummary.Row("input", "InputLayer", "[${ModelSummary.shape(input)}]", 0))
    var inShape = input
    layers.forEachIndexed { i, layer ->
      val params = layer.parameters(inShape)
      params.forEach { if (it.trainable) trainable += it.count else frozen += it.count }
      rows += ModelSummary.Row(layerNames[i], layer.typeName, ModelSummary.shape(shapes[i]), params.sumOf { it.count.toLong() })
      inShape = shapes[i]
    }
    return ModelSummary(name, rows, trainable, frozen)
  }

  /**
   * Creates this model's variables through [factory], under "[scope]/<layer>/<param>". With
   * [frozen] none of them is trainable (a linear probe's backbone, MoCo's momentum copy).
   */
  @JvmOverloads
  fun instantiate(factory: ParameterFactory, input: IntArray, scope: String = name, frozen: Boolean = false): SequentialInstance {
    val shapes = shapes(input)
    var inShape = input
    val perLayer = layers.mapIndexed { i, layer ->
      val vars = layer.parameters(inShape).associate { spec ->
        val effective = if (frozen && spec.trainable) ParamSpec(spec.name, spec.shape, spec.initializer, trainable = false) else spec
        spec.name to factory.create("$scope/${layerNames[i]}/${spec.name}", effective)
      }
      inShape = shapes[i]
      vars
    }
    return SequentialInstance(this, input.copyOf(), shapes, perLayer)
  }

  companion object {
    /** A builder for Java, the same one `sequential { }` fills in Kotlin. */
    @JvmStatic fun builder(): SequentialBuilder = SequentialBuilder()
  }
}

/**
 * A [Sequential] whose variables exist in one graph; [apply] it to as many inputs as needed.
 *
 * @property model the model it instantiates.
 * @property inputShape the per-example input shape it was instantiated for.
 */
class SequentialInstance internal constructor(
  val model: Sequential,
  val inputShape: IntArray,
  private val shapes: List<IntArray>,
  private val params: List<Map<String, Variable<TFloat32>>>,
) {
  /** Output shape per example. */
  val outputShape: IntArray get() = shapes.last().copyOf()

  /** Every variable of this instance, in layer order. */
  val variables: List<Variable<TFloat32>> get() = params.flatMap { it.values }

  /** The variables of layer [index] by parameter name ("kernel", "bias", ...). */
  fun parametersOf(index: Int): Map<String, Variable<TFloat32>> = params[index]

  /** The forward pass on [x] (`[batch]` + [inputShape]); every call uses the same variables. */
  fun apply(ctx: ForwardContext, x: Operand<*>): Operand<TFloat32> {
    val dims = x.shape().asArray()
    val perExample = dims.drop(1).map { it.toInt() }
    require(perExample.size == inputShape.size && perExample.indices.all { perExample[it] == -1 || perExample[it] == inputShape[it] }) {
      "model '${model.name}' expects inputs of shape ${ModelSummary.shape(inputShape)}, got ${dims.contentToString()}"
    }
    var y: Operand<*> = x
    if (!ctx.precision.isReduced) {
      model.layers.forEachIndexed { i, layer -> y = layer.forward(ctx, y, params[i]) }
    } else {
      model.layers.forEachIndexed { i, layer -> y = reduced(ctx, layer, y, params[i]) }
      if (y.type() != TFloat32::class.java) y = ctx.tf.dtypes.cast(y, TFloat32::class.java)
    }
    @Suppress("UNCHECKED_CAST")
    return y as Operand<TFloat32>
  }

  /**
   * One layer under a reduced precision: a layer that allows it gets its float input and its
   * float32 variables cast to the compute type (the casts' gradients carry the updates back to
   * the float32 variables); any other layer gets a float32 input and its variables as they are.
   * Casts appear only where the type changes.
   */
  @Suppress("UNCHECKED_CAST")
  private fun reduced(ctx: ForwardContext, layer: Layer, x: Operand<*>, vars: Map<String, Variable<TFloat32>>): Operand<*> {
    val tf = ctx.tf
    val compute = ctx.precision.computeType
    val isFloat = x.type() == TFloat32::class.java || x.type() == compute
    return if (layer.reducedPrecision && layer.inputType == ElementType.FLOAT) {
      val input = if (x.type() == compute) x else tf.dtypes.cast(x, compute)
      layer.forward(ctx, input, vars.mapValues { (_, v) -> tf.dtypes.cast(v, compute) as Operand<TFloat32> })
    } else {
      val input = if (isFloat && x.type() != TFloat32::class.java) tf.dtypes.cast(x, TFloat32::class.java) else x
      layer.forward(ctx, input, vars)
    }
  }
}
