package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * Adds a learned vector per position to a sequence `[L, D]` (GPT's and CLIP's text encoder's
 * positional embedding): `y[i] = x[i] + P[i]`. The table is `[L, D]` for the input's length L, so the
 * sequence length is fixed when the model is built (the tokenizer's maximum length).
 */
class PositionalEmbedding @JvmOverloads constructor(
  /** Starting values of the position table (default normal, mean 0, std 0.02). */
  val initializer: Initializer = Initializers.normal(0f, 0.02f),
  name: String? = null,
) : Layer(name) {
  override val typeName get() = "PositionalEmbedding"
  override val kerasName get() = "positional_embedding"

  override fun outputShape(input: IntArray): IntArray {
    require(input.size == 2) { "$typeName expects a sequence [length, features] per example, got input shape ${input.contentToString()}" }
    return input.copyOf()
  }

  override fun parameters(input: IntArray): List<ParamSpec> = listOf(ParamSpec("embeddings", outputShape(input), initializer))

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> =
    ctx.tf.math.add(floats(ctx, x), params.getValue("embeddings"))
}
