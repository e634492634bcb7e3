package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * Gives each example a new shape with the same number of elements, as Keras' Reshape: a
 * decoder's `dense(7 * 7 * 32)` becomes `reshape(7, 7, 32)`. One dimension may be -1, meaning
 * whatever the others leave. Elements keep their row-major order.
 */
class Reshape @JvmOverloads constructor(targetShape: IntArray, name: String? = null) : Layer(name) {
  private val target = targetShape.copyOf()

  init {
    require(target.isNotEmpty()) { "Reshape needs a target shape, got none" }
    require(target.all { it > 0 || it == -1 }) { "Reshape target dimensions must be > 0 or one -1, got ${target.contentToString()}" }
    require(target.count { it == -1 } <= 1) { "Reshape target may have one -1, got ${target.contentToString()}" }
  }

  /** The target shape as given (with its -1, if any). */
  val targetShape: IntArray get() = target.copyOf()

  override val typeName get() = "Reshape"
  override val kerasName get() = "reshape"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray {
    val n = input.fold(1) { a, b -> a * b }
    val known = target.filter { it != -1 }.fold(1) { a, b -> a * b }
    if (-1 in target) {
      require(n % known == 0) {
        "$typeName cannot fill ${target.contentToString()} from ${input.contentToString()}: $n elements are not a multiple of $known"
      }
      return IntArray(target.size) { if (target[it] == -1) n / known else target[it] }
    }
    require(n == known) {
      "$typeName target ${target.contentToString()} holds $known elements, the input ${input.contentToString()} holds $n"
    }
    return target.copyOf()
  }

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
    val perExample = IntArray(x.shape().numDimensions() - 1) { x.shape().size(it + 1).toInt() }
    return ctx.tf.reshape(floats(ctx, x), ctx.tf.constant(intArrayOf(-1) + outputShape(perExample)))
  }
}
