package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * Maps integer ids in [0, inputDim) to learned vectors: `[...]` -> `[..., outputDim]`, as Keras' Embedding.
 *
 * @property inputDim the number of ids (the vocabulary size).
 * @property outputDim the length of each id's vector.
 * @property initializer starting values of the table `[inputDim, outputDim]`; uniform on [-0.05, 0.05), as Keras.
 */
class Embedding @JvmOverloads constructor(
  val inputDim: Int,
  val outputDim: Int,
  val initializer: Initializer = Initializers.uniform(),
  name: String? = null,
) : Layer(name) {
  init {
    require(inputDim > 0) { "embedding inputDim (vocabulary size) must be > 0, got $inputDim" }
    require(outputDim > 0) { "embedding outputDim must be > 0, got $outputDim" }
  }

  override val typeName get() = "Embedding"
  override val kerasName get() = "embedding"
  override val inputType get() = ElementType.INT

  override fun outputShape(input: IntArray): IntArray = input + outputDim

  override fun parameters(input: IntArray): List<ParamSpec> =
    listOf(ParamSpec("embeddings", intArrayOf(inputDim, outputDim), initializer))

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> =
    ctx.tf.gather(params.getValue("embeddings"), ints(ctx, x), ctx.tf.constant(0))
}
