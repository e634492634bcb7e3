package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * Adam (Kingma and Ba 2015) through TensorFlow's fused `ApplyAdam`. Defaults and update as Keras'
 * `Adam`: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, and for the 1-based step `t`
 * `m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr_t * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)`.
 * (PyTorch adds epsilon to the bias-corrected `sqrt(v)` and defaults it to 1e-8; the two differ
 * only while `sqrt(v)` is near epsilon.)
 *
 * @property beta1 decay of the first-moment (mean gradient) estimate, in [0, 1); 0.9.
 * @property beta2 decay of the second-moment (mean squared gradient) estimate, in [0, 1); 0.999.
 * @property epsilon added to `sqrt(v)` so that the step stays finite; 1e-7.
 */
class Adam @JvmOverloads constructor(
  override val schedule: LearningRateSchedule,
  val beta1: Double = 0.9,
  val beta2: Double = 0.999,
  val epsilon: Double = 1e-7,
) : GatedOptimizer("Adam") {
  init {
    requireUnitInterval("beta1", beta1)
    requireUnitInterval("beta2", beta2)
    requirePositive("epsilon", epsilon)
  }

  override fun updates(ops: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>, step: StepInputs, slots: SlotFactory): List<Op> {
    return adamUpdates(ops, gradients, step, slots, beta1, beta2, epsilon) { _, _ -> ops }
  }

  override fun describe(): String = "Adam(lr=$schedule, beta1=$beta1, beta2=$beta2, epsilon=$epsilon)"
}

/**
 * The `ApplyAdam` op of every parameter; [opsFor] gives the [Ops] to build each one with, so that
 * AdamW can make the update wait for its weight decay.
 */
internal fun adamUpdates(
  ops: Ops,
  gradients: List<Pair<Parameter, Operand<TFloat32>>>,
  step: StepInputs,
  slots: SlotFactory,
  beta1: Double,
  beta2: Double,
  epsilon: Double,
  opsFor: (Parameter, Operand<TFloat32>) -> Ops,
): List<Op> {
  val b1 = ops.scalar(beta1)
  val b2 = ops.scalar(beta2)
  val eps = ops.scalar(epsilon)
  // beta^t for the bias correction; t is fed by the engine, so a restored run continues exactly
  val b1Power = ops.math.pow(b1, step.step)
  val b2Power = ops.math.pow(b2, step.step)
  return gradients.map { (parameter, gradient) ->
    val m = slots.slot(parameter, "m")
    val v = slots.slot(parameter, "v")
    opsFor(parameter, gradient).train.applyAdam(
      parameter.variable, m, v, b1Power, b2Power, step.learningRate, b1, b2, eps, gradient,
    )
  }
}
