package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/**
 * A layer is an immutable description: which parameters it needs for a given input shape, what
 * shape it produces, and how it computes its output from an input and its parameter tensors.
 * Parameters are created once per built model ([Sequential.instantiate]) and passed in, so one
 * layer applied to many inputs shares its weights.
 *
 * Shapes here are per example, without the batch dimension.
 */
abstract class Layer(name: String?) {
  init {
    require(name == null || name.matches(Regex("[A-Za-z0-9_.\\-]+"))) {
      "layer name must be letters, digits, '_', '.', '-', got '$name'"
    }
  }

  /** The name given by the user, or null to let the model name it after [kerasName]. */
  val givenName: String? = name

  /** Keras' class name shown in summaries, e.g. "Conv2D". */
  abstract val typeName: String

  /** Keras' default instance name, e.g. "conv2d"; a model numbers repeats as "conv2d_1". */
  abstract val kerasName: String

  /** The element type this layer reads. */
  open val inputType: ElementType get() = ElementType.FLOAT

  /**
   * Whether this layer may compute in a reduced [io.github.kontrast.dsl.precision.Precision]
   * (bfloat16, float16). When true and the model runs reduced, [SequentialInstance.apply] hands
   * [forward] its input and parameters cast to the compute type, and the `Operand<TFloat32>`
   * handles then carry that type: the layer must build only type-generic ops (no float32
   * constants mixed into the data path). False (the default) keeps the layer in float32, for
   * layers whose sums or statistics want float32 accumulation.
   */
  open val reducedPrecision: Boolean get() = false

  /** Output shape for an input of [input]; throws IllegalArgumentException if it cannot take it. */
  abstract fun outputShape(input: IntArray): IntArray

  /** The parameters this layer needs for an input of [input]. */
  open fun parameters(input: IntArray): List<ParamSpec> = emptyList()

  /** The forward computation. [params] holds the tensors of [parameters], by their names. */
  abstract fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32>

  protected fun requireRank(input: IntArray, rank: Int, what: String) {
    require(input.size == rank) {
      "$typeName expects $what (rank $rank per example), got input shape ${input.contentToString()}"
    }
  }

  /** [x] as floats: unchanged when float32 or the context's reduced compute type, else cast to float32. */
  @Suppress("UNCHECKED_CAST")
  protected fun floats(ctx: ForwardContext, x: Operand<*>): Operand<TFloat32> =
    if (x.type() == TFloat32::class.java || x.type() == ctx.precision.computeType) x as Operand<TFloat32>
    else ctx.tf.dtypes.cast(x, TFloat32::class.java)

  /** [value] (a float32 mask or constant) in [like]'s type, so that it mixes with reduced-precision activations. */
  @Suppress("UNCHECKED_CAST")
  protected fun sameType(ctx: ForwardContext, value: Operand<TFloat32>, like: Operand<*>): Operand<TFloat32> =
    if (like.type() == TFloat32::class.java) value else ctx.tf.dtypes.cast(value, like.type()) as Operand<TFloat32>

  @Suppress("UNCHECKED_CAST")
  protected fun ints(ctx: ForwardContext, x: Operand<*>): Operand<TInt32> =
    if (x.type() == TInt32::class.java) x as Operand<TInt32> else ctx.tf.dtypes.cast(x, TInt32::class.java)
}

/** Element types an input may hold. */
enum class ElementType { FLOAT, INT }

/**
 * One parameter of a layer.
 * @property name the parameter's name within its layer, e.g. "kernel", "bias", "gamma".
 * @property shape the parameter's shape.
 * @property initializer computes its starting values.
 * @property trainable false for statistics the layer updates itself (batch norm's moving mean)
 */
class ParamSpec(val name: String, val shape: IntArray, val initializer: Initializer, val trainable: Boolean = true) {
  /** Number of values: the product of [shape]. */
  val count: Int get() = shape.fold(1) { a, b -> a * b }
}

/** Output spatial size of a window sliding over [size] with "valid" or "same" padding, as TensorFlow computes it. */
internal fun windowOutput(size: Int, window: Int, stride: Int, padding: Padding): Int = when (padding) {
  Padding.VALID -> if (size < window) 0 else (size - window) / stride + 1
  Padding.SAME -> (size + stride - 1) / stride
}

/**
 * Convolution and pooling padding, as TensorFlow names them: VALID keeps only windows that fit
 * inside the input, SAME pads so that the output has ceil(size / stride) positions.
 *
 * @property tfName the name TensorFlow's ops take.
 */
enum class Padding(val tfName: String) { VALID("VALID"), SAME("SAME") }
