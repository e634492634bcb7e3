package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.train.ApplyMomentum
import org.tensorflow.types.TFloat32

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum. Defaults as Keras' `SGD`:
 * learning rate 0.01, momentum 0, no Nesterov.
 *
 * With momentum `mu` and learning rate `lr_t` (TensorFlow's `ApplyMomentum`, the same update as
 * PyTorch's `SGD`):
 * `a = mu * a + g; w -= lr_t * a`, or with Nesterov `w -= lr_t * (g + mu * a)`.
 * For a constant rate this is exactly Keras' velocity form; with a schedule the rate scales the
 * whole accumulated step, as in PyTorch. Without momentum it is `w -= lr_t * g` and keeps no slot.
 *
 * @property momentum `mu`, the accumulator's decay, in [0, 1); 0, plain SGD.
 * @property nesterov whether to use Nesterov momentum (needs momentum > 0); false.
 */
class Sgd @JvmOverloads constructor(
  override val schedule: LearningRateSchedule,
  val momentum: Double = 0.0,
  val nesterov: Boolean = false,
) : GatedOptimizer("SGD") {
  init {
    requireUnitInterval("momentum", momentum)
    require(!nesterov || momentum > 0.0) { "nesterov: expected momentum > 0 for Nesterov momentum, got momentum = $momentum" }
  }

  override fun updates(ops: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>, step: StepInputs, slots: SlotFactory): List<Op> {
    return gradients.map { (parameter, gradient) ->
      if (momentum == 0.0) {
        ops.train.applyGradientDescent(parameter.variable, step.learningRate, gradient)
      } else {
        val accumulator = slots.slot(parameter, "momentum")
        ops.train.applyMomentum(
          parameter.variable, accumulator, step.learningRate, gradient, ops.scalar(momentum),
          ApplyMomentum.useNesterov(nesterov),
        )
      }
    }
  }

  override fun describe(): String = "SGD(lr=$schedule, momentum=$momentum, nesterov=$nesterov)"
}
