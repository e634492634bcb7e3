package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/** Flattens each example into a vector. */
class Flatten @JvmOverloads constructor(name: String? = null) : Layer(name) {
  override val typeName get() = "Flatten"
  override val kerasName get() = "flatten"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray = intArrayOf(input.fold(1) { a, b -> a * b })

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val size = x.shape().asArray().drop(1).fold(1L) { a, b -> a * b }
    return ctx.tf.reshape(floats(ctx, x), ctx.tf.constant(longArrayOf(-1L, size)))
  }
}
