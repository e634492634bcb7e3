package io.github.kontrast.dsl.layers

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * An activation as a layer of its own, as Keras' Activation.
 *
 * @property activation the function applied to every element; the shape is unchanged.
 */
class ActivationLayer @JvmOverloads constructor(val activation: Activation, name: String? = null) : Layer(name) {
  override val typeName get() = "Activation"
  override val kerasName get() = "activation"

  /** Computes in a reduced precision when the model does (see [Layer.reducedPrecision]). */
  override val reducedPrecision get() = true

  override fun outputShape(input: IntArray): IntArray = input.copyOf()

  override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> =
    activation.apply(ctx.tf, floats(ctx, x))
}
