@file:JvmName("Masking")

package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * A layer over sequences (`[L, D]` per example) that reads a padding mask (`[L]` per example: 1 at a
 * token, 0 at padding) besides its input, so that padding changes nothing it computes for the
 * tokens: attention gives padded keys no weight, pooling leaves padded positions out.
 *
 * In a [Sequential] applied without a mask ([SequentialInstance.apply]) every position counts as a
 * token; [applyMasked] hands the mask to every masked layer of the stack.
 */
abstract class MaskedLayer(name: String?) : Layer(name) {
  /** The forward pass with [mask] [N, L] (float, 1 = token, 0 = padding). */
  abstract fun forward(ctx: ForwardContext, x: Operand<*>, mask: Operand<TFloat32>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32>

  /** Without a mask: every position is a token. */
  final override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val tf = ctx.tf
    val input = floats(ctx, x)
    // ones of shape [N, L]: the input without its last axis
    val positions = tf.reduceMax(tf.onesLike(input), tf.constant(-1))
    return forward(ctx, input, positions, params)
  }

  protected fun requireSequence(input: IntArray) {
    require(input.size == 2) { "$typeName expects a sequence [length, features] per example, got input shape ${input.contentToString()}" }
  }
}

/**
 * The forward pass of this stack on [x] with a padding [mask] ([batch, L], 1 = token, 0 = padding):
 * every [MaskedLayer] gets the mask, every other layer just its input. The text tower of
 * `clip { }` runs its encoder this way, from token ids and mask to one vector per text.
 */
fun SequentialInstance.applyMasked(ctx: ForwardContext, x: Operand<*>, mask: Operand<TFloat32>): Operand<TFloat32> {
  val dims = x.shape().asArray()
  val perExample = dims.drop(1).map { it.toInt() }
  require(perExample.size == inputShape.size && perExample.indices.all { perExample[it] == -1 || perExample[it] == inputShape[it] }) {
    "model '${model.name}' expects inputs of shape ${ModelSummary.shape(inputShape)}, got ${dims.contentToString()}"
  }
  val maskDims = mask.shape().asArray()
  require(maskDims.size == 2 && (maskDims[1] == -1L || maskDims[1] == dims[1])) {
    "mask must be [batch, ${dims.getOrNull(1)}] (one flag per position), got ${maskDims.contentToString()}"
  }
  var y: Operand<*> = x
  model.layers.forEachIndexed { i, layer ->
    y = if (layer is MaskedLayer) layer.forward(ctx, y, mask, parametersOf(i)) else layer.forward(ctx, y, parametersOf(i))
  }
  @Suppress("UNCHECKED_CAST")
  return y as Operand<TFloat32>
}
