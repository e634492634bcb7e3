package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * RMSprop through TensorFlow's fused `ApplyRMSProp` / `ApplyCenteredRMSProp`. Defaults and update
 * as Keras' `RMSprop`: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered;
 * `s = rho s + (1 - rho) g^2; d = lr_t * g / sqrt(s + epsilon)` (centered: `s - mg^2 + epsilon`
 * with `mg = rho mg + (1 - rho) g`); `a = momentum * a + d; w -= a`. The mean square starts at
 * zero as in Keras (TF1 started it at one). PyTorch's defaults differ: lr 0.01, alpha 0.99, eps
 * 1e-8 added outside the square root.
 *
 * @property rho decay of the mean square (and of the mean gradient when [centered]), in [0, 1); 0.9.
 * @property momentum the accumulator's decay, in [0, 1); 0, no momentum.
 * @property epsilon added to the mean square under the square root; 1e-7.
 * @property centered whether to divide by the variance estimate `s - mg^2` instead of `s`; false.
 */
class RmsProp @JvmOverloads constructor(
  override val schedule: LearningRateSchedule,
  val rho: Double = 0.9,
  val momentum: Double = 0.0,
  val epsilon: Double = 1e-7,
  val centered: Boolean = false,
) : GatedOptimizer("RMSprop") {
  init {
    requireUnitInterval("rho", rho)
    requireUnitInterval("momentum", momentum)
    requirePositive("epsilon", epsilon)
  }

  override fun updates(ops: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>, step: StepInputs, slots: SlotFactory): List<Op> {
    val rhoOp = ops.scalar(rho)
    val momentumOp = ops.scalar(momentum)
    val eps = ops.scalar(epsilon)
    return gradients.map { (parameter, gradient) ->
      val meanSquare = slots.slot(parameter, "rms")
      // with momentum 0 this slot only holds the last step, but the fused op needs it either way
      val accumulator = slots.slot(parameter, "momentum")
      if (centered) {
        val meanGradient = slots.slot(parameter, "mg")
        ops.train.applyCenteredRmsProp(
          parameter.variable, meanGradient, meanSquare, accumulator, step.learningRate, rhoOp, momentumOp, eps, gradient,
        )
      } else {
        ops.train.applyRmsProp(
          parameter.variable, meanSquare, accumulator, step.learningRate, rhoOp, momentumOp, eps, gradient,
        )
      }
    }
  }

  override fun describe(): String =
    "RMSprop(lr=$schedule, rho=$rho, momentum=$momentum, epsilon=$epsilon, centered=$centered)"
}
