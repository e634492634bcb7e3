package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * A pre-norm transformer encoder block (GPT-2's and CLIP's text encoder's arrangement) on a
 * sequence [L, D] with a padding mask:
 *
 *     h = x + dropout(attention(layerNorm1(x), mask))
 *     y = h + dropout(W2 activation(W1 layerNorm2(h) + b1) + b2)
 *
 * with [MultiHeadAttention] of [heads] heads and an MLP of [mlpDim] hidden units. Its parameters
 * are those of its parts, prefixed: "norm1/gamma", "attention/query/kernel", ..., "norm2/beta",
 * "mlp1/kernel", "mlp1/bias", "mlp2/kernel", "mlp2/bias".
 */
class TransformerBlock @JvmOverloads constructor(
  /** Attention heads. */
  val heads: Int,
  /** Hidden units of the MLP. */
  val mlpDim: Int,
  /** The MLP's hidden activation (default GELU, as GPT-2 and CLIP). */
  val activation: Activation = Activations.gelu,
  /** Dropout rate on both residual branches in training (default 0: none). */
  val dropout: Float = 0f,
  /** The two layer norms' epsilon (default 1e-5). */
  val epsilon: Float = 1e-5f,
  name: String? = null,
) : MaskedLayer(name) {
  init {
    require(mlpDim >= 1) { "transformer mlpDim must be >= 1, got $mlpDim" }
  }

  private val norm1 = LayerNorm(epsilon)
  private val attention = MultiHeadAttention(heads)
  private val norm2 = LayerNorm(epsilon)
  private val mlp1 = Dense(mlpDim, activation)
  private val drop = Dropout(dropout)

  override val typeName get() = "TransformerBlock"
  override val kerasName get() = "transformer_block"

  override fun outputShape(input: IntArray): IntArray {
    requireSequence(input)
    return attention.outputShape(input)
  }

  private fun mlp2(input: IntArray) = Dense(input[1])

  override fun parameters(input: IntArray): List<ParamSpec> {
    outputShape(input)
    val hidden = intArrayOf(input[0], mlpDim)
    return prefixed("norm1", norm1.parameters(input)) + prefixed("attention", attention.parameters(input)) +
      prefixed("norm2", norm2.parameters(input)) + prefixed("mlp1", mlp1.parameters(input)) + prefixed("mlp2", mlp2(input).parameters(hidden))
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, mask: Operand<TFloat32>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val d = input.shape().asArray().last().toInt()
    val attended = attention.forward(ctx, norm1.forward(ctx, input, part(params, "norm1")), mask, part(params, "attention"))
    val h = tf.math.add(input, drop.forward(ctx, attended, emptyMap()))
    val hidden = mlp1.forward(ctx, norm2.forward(ctx, h, part(params, "norm2")), part(params, "mlp1"))
    val mlpOut = Dense(d).forward(ctx, hidden, part(params, "mlp2"))
    return tf.math.add(h, drop.forward(ctx, mlpOut, emptyMap()))
  }

  private fun prefixed(prefix: String, specs: List<ParamSpec>) =
    specs.map { ParamSpec("$prefix/${it.name}", it.shape, it.initializer, it.trainable) }

  private fun part(params: Map<String, Operand<TFloat32>>, prefix: String): Map<String, Operand<TFloat32>> =
    params.filterKeys { it.startsWith("$prefix/") }.mapKeys { it.key.removePrefix("$prefix/") }
}
