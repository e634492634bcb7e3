package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.op.train.BatchMatMul
import org.tensorflow.types.TFloat32

/**
 * Multi-head self-attention (Vaswani et al. 2017) over a sequence [L, D] with a padding mask:
 * per head h, q = x Wq_h + bq_h, k = x Wk_h + bk_h, v = x Wv_h + bv_h (each [L, keyDim]),
 * a = softmax(q k^T / sqrt(keyDim) + b) with b = 0 at tokens and -1e9 at padded keys, head_h = a v;
 * the heads are concatenated and projected back, y = [head_1 ... head_H] Wo + bo ([L, D]).
 *
 * Padded keys get a weight of exactly 0 (exp(-1e9) underflows to 0 in float32), so what sits at a
 * padded position cannot change any token's output. A padded query still gets an output (attention
 * over the tokens); the masked pooling after it leaves that out. Parameters are named as Keras'
 * MultiHeadAttention names them: "query/kernel" [D, H * keyDim], "query/bias", the same for "key"
 * and "value", "output/kernel" [H * keyDim, D], "output/bias".
 */
class MultiHeadAttention @JvmOverloads constructor(
  /** Number of attention heads H. */
  val heads: Int,
  /** Size of each head's queries and keys; 0 means features / heads. */
  val keyDim: Int = 0,
  /** Starting values of the four kernels (default Glorot uniform). */
  val kernelInitializer: Initializer = Initializers.glorotUniform(),
  name: String? = null,
) : MaskedLayer(name) {
  init {
    require(heads >= 1) { "attention heads must be >= 1, got $heads" }
    require(keyDim >= 0) { "attention keyDim must be >= 0 (0 = features / heads), got $keyDim" }
  }

  override val typeName get() = "MultiHeadAttention"
  override val kerasName get() = "multi_head_attention"

  /** Each head's size for [features] input features. */
  fun headSize(features: Int): Int {
    if (keyDim > 0) return keyDim
    require(features % heads == 0) { "$typeName with $heads heads needs features divisible by the heads (or an explicit keyDim), got $features" }
    return features / heads
  }

  override fun outputShape(input: IntArray): IntArray {
    requireSequence(input)
    headSize(input[1])
    return input.copyOf()
  }

  override fun parameters(input: IntArray): List<ParamSpec> {
    outputShape(input)
    val d = input[1]
    val inner = heads * headSize(d)
    return listOf("query", "key", "value").flatMap {
      listOf(ParamSpec("$it/kernel", intArrayOf(d, inner), kernelInitializer), ParamSpec("$it/bias", intArrayOf(inner), Initializers.zeros()))
    } + listOf(ParamSpec("output/kernel", intArrayOf(inner, d), kernelInitializer), ParamSpec("output/bias", intArrayOf(d), Initializers.zeros()))
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, mask: Operand<TFloat32>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    val dims = input.shape().asArray()
    require(dims.size == 3) { "$typeName expects [batch, length, features], got ${dims.contentToString()}" }
    val length = dims[1]
    val d = dims[2]
    val dk = headSize(d.toInt()).toLong()
    val inner = heads * dk
    val rows = tf.reshape(input, tf.constant(longArrayOf(-1L, d))) // [N * L, D]

    // [N * L, D] -> [N, H, L, dk]
    fun project(what: String): Operand<TFloat32> {
      val y = tf.nn.biasAdd(tf.linalg.matMul(rows, params.getValue("$what/kernel")), params.getValue("$what/bias"))
      val split = tf.reshape(y, tf.constant(longArrayOf(-1L, length, heads.toLong(), dk)))
      return tf.linalg.transpose(split, tf.constant(intArrayOf(0, 2, 1, 3)))
    }
    val q = project("query")
    val k = project("key")
    val v = project("value")
    val scores = tf.math.mul(
      tf.train.batchMatMul(q, k, TFloat32::class.java, BatchMatMul.adjY(true)), // [N, H, L, L]
      tf.constant((1.0 / Math.sqrt(dk.toDouble())).toFloat()),
    )
    // 0 at tokens, -1e9 at padded keys, broadcast over heads and queries
    val keyBias = tf.math.mul(
      tf.math.sub(tf.stopGradient(mask), tf.constant(1f)),
      tf.constant(1e9f),
    )
    val biased = tf.math.add(scores, tf.reshape(keyBias, tf.constant(longArrayOf(-1L, 1L, 1L, length))))
    val weights = tf.nn.softmax(biased)
    val heads = tf.train.batchMatMul(weights, v, TFloat32::class.java) // [N, H, L, dk]
    val joined = tf.reshape(tf.linalg.transpose(heads, tf.constant(intArrayOf(0, 2, 1, 3))), tf.constant(longArrayOf(-1L, inner)))
    val out = tf.nn.biasAdd(tf.linalg.matMul(joined, params.getValue("output/kernel")), params.getValue("output/bias"))
    return tf.reshape(out, tf.constant(longArrayOf(-1L, length, d)))
  }
}
