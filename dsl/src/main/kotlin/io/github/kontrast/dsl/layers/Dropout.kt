package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * Inverted dropout as Keras does it: in training each element is zeroed with probability [rate]
 * and the survivors scaled by 1 / (1 - rate); in inference it is the identity. The mask comes from
 * a stateless random op seeded by the step, so a run resumed from a checkpoint draws the same masks.
 *
 * @property rate the probability of zeroing an element, in [0, 1).
 */
class Dropout @JvmOverloads constructor(val rate: Float, name: String? = null) : Layer(name) {
  init {
    require(rate >= 0f && rate < 1f) { "dropout rate must be in [0, 1), got $rate" }
  }

  override val typeName get() = "Dropout"
  override val kerasName get() = "dropout"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray = input.copyOf()

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    if (rate == 0f) return input
    // keep = 1 - rate while training, 1 in inference: floor(u + 1) = 1 for u in [0, 1) leaves x untouched
    val keep = tf.math.sub(tf.constant(1f), tf.math.mul(ctx.training, tf.constant(rate)))
    val u = tf.random.statelessRandomUniform(tf.shape(input), ctx.nextSeed(), TFloat32::class.java)
    val mask = tf.math.div(tf.math.floor(tf.math.add(u, keep)), keep)
    return tf.math.mul(input, tf.stopGradient(sameType(ctx, mask, input)))
  }
}
