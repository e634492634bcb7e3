package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.layers.Initializer
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.layers.ParamSpec
import io.github.kontrast.dsl.layers.ParameterFactory
import io.github.kontrast.dsl.optim.Parameter
import io.github.kontrast.dsl.optim.SlotFactory
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32
import java.util.SplittableRandom

/**
 * Owns every variable of one graph: layer weights, non-trainable statistics, optimizer slots and
 * any extra state a pipeline adds (a temperature, an EMA copy). Initial values are computed on the
 * host from (model seed, variable path), so they do not depend on creation order or on the machine.
 * Every variable gets an assign-from-placeholder op, which both initializes and restores.
 */
class VariableStore internal constructor(private val tf: Ops, private val seed: Long) : ParameterFactory, SlotFactory {
  /** One managed variable. [initial] is its starting value, row-major. */
  class Entry internal constructor(
    val path: String,
    val variable: Variable<TFloat32>,
    val shape: IntArray,
    internal val initial: FloatArray,
    val trainable: Boolean,
    /** Optimizer state (Adam's moments, momentum buffers) rather than part of the model. */
    val isSlot: Boolean = false,
  ) {
    internal lateinit var feed: Placeholder<TFloat32>
    internal lateinit var assign: Op
    val count: Int get() = initial.size
  }

  private val entries = LinkedHashMap<String, Entry>()
  private var sealed = false

  /** All variables, in creation order (checkpoints list them in this order). */
  val all: List<Entry> get() = entries.values.toList()

  /** The trainable variables as optimizer parameters. */
  val trainable: List<Parameter> get() = entries.values.filter { it.trainable }.map { Parameter(it.path, it.variable) }

  override fun create(path: String, spec: ParamSpec): Variable<TFloat32> =
    variable(path, spec.shape, spec.initializer, spec.trainable)

  /** Optimizer state: zeros shaped like [parameter], never trained, saved in checkpoints. */
  override fun slot(parameter: Parameter, slotName: String): Variable<TFloat32> {
    val owner = entries[parameter.name]
      ?: throw IllegalArgumentException("slot '$slotName' asked for parameter '${parameter.name}', which this graph does not own")
    return variable("${parameter.name}/slot/$slotName", owner.shape, Initializers.zeros(), trainable = false, slot = true)
  }

  /** A variable of any shape, initialized by [initializer] from the model seed. */
  fun variable(path: String, shape: IntArray, initializer: Initializer, trainable: Boolean): Variable<TFloat32> =
    variable(path, shape, initializer, trainable, slot = false)

  private fun variable(path: String, shape: IntArray, initializer: Initializer, trainable: Boolean, slot: Boolean): Variable<TFloat32> {
    check(!sealed) { "variable '$path' created after the graph was compiled" }
    require(path.matches(Regex("[A-Za-z0-9.][A-Za-z0-9_.\\-/]*"))) { "variable path must be a TensorFlow op name, got '$path'" }
    require(path !in entries) { "variable '$path' exists already: give each layer or model a distinct name" }
    require(shape.all { it > 0 }) { "variable '$path' needs positive dimensions, got ${shape.contentToString()}" }
    val initial = initializer.values(shape, SplittableRandom(mix(seed, path)))
    val count = shape.fold(1) { a, b -> a * b }
    require(initial.size == count) { "initializer of '$path' gave ${initial.size} values for shape ${shape.contentToString()} ($count)" }
    val v = tf.withName(path.replace('/', '.')).variable(Shape.of(*shape.map { it.toLong() }.toLongArray()), TFloat32::class.java)
    entries[path] = Entry(path, v, shape.copyOf(), initial, trainable, slot)
    return v
  }

  /**
   * An initializer that starts a variable with the starting value of [path], e.g. MoCo's momentum
   * encoder as a copy of the online one.
   */
  fun sameAs(path: String): Initializer {
    val source = entries[path] ?: throw IllegalArgumentException("no variable '$path' to copy; there are ${entries.keys}")
    return Initializer { shape, _ ->
      require(shape.contentEquals(source.shape)) { "a copy of '$path' must have its shape ${source.shape.contentToString()}, got ${shape.contentToString()}" }
      source.initial.copyOf()
    }
  }

  /** Adds the assign ops; after this no variable may be created. */
  internal fun seal() {
    if (sealed) return
    sealed = true
    val scoped = tf.withSubScope("kontrast_assign")
    for (e in entries.values) {
      e.feed = scoped.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(*e.shape.map { it.toLong() }.toLongArray())))
      e.assign = scoped.assign(e.variable, e.feed)
    }
  }

  internal operator fun get(path: String): Entry? = entries[path]

  private companion object {
    /** A per-variable stream seed: the path's hash (stable by the String.hashCode contract) mixed with the model seed. */
    fun mix(seed: Long, path: String): Long {
      var z = seed * -0x61c8864680b583ebL + path.hashCode().toLong() * 0x2545F4914F6CDD1DL
      z = (z xor (z ushr 30)) * -0x40a7b892e31b1a47L
      z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
      return z xor (z ushr 31)
    }
  }
}
