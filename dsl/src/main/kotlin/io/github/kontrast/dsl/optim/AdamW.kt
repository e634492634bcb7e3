package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019). Defaults and update as Keras'
 * `AdamW`: learning rate 0.001, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7; each
 * step first decays the weights, `w -= lr_t * weightDecay * w` (PyTorch's `w *= 1 - lr_t * wd`,
 * whose default decay is 0.01), then applies [Adam]'s update to the decayed weights.
 *
 * Parameters whose names [excludeFromDecay] matches get Adam's update without decay; Keras decays
 * everything by default, and so does [ParameterFilter.NONE]. Recipes that spare biases and
 * normalization parameters pass [ParameterFilter.BIASES_AND_NORMALIZATION].
 *
 * @property weightDecay the decay per unit of learning rate, >= 0; 0.004 (0 turns AdamW into Adam).
 * @property beta1 decay of the first-moment estimate, in [0, 1); 0.9.
 * @property beta2 decay of the second-moment estimate, in [0, 1); 0.999.
 * @property epsilon added to `sqrt(v)` so that the step stays finite; 1e-7.
 * @property excludeFromDecay the parameters updated without decay; [ParameterFilter.NONE] by default.
 */
class AdamW @JvmOverloads constructor(
  override val schedule: LearningRateSchedule,
  val weightDecay: Double = 0.004,
  val beta1: Double = 0.9,
  val beta2: Double = 0.999,
  val epsilon: Double = 1e-7,
  val excludeFromDecay: ParameterFilter = ParameterFilter.NONE,
) : GatedOptimizer("AdamW") {
  init {
    requireNonNegative("weightDecay", weightDecay)
    requireUnitInterval("beta1", beta1)
    requireUnitInterval("beta2", beta2)
    requirePositive("epsilon", epsilon)
  }

  override fun updates(ops: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>, step: StepInputs, slots: SlotFactory): List<Op> {
    val decayRate = ops.math.mul(step.learningRate, ops.scalar(weightDecay))
    return adamUpdates(ops, gradients, step, slots, beta1, beta2, epsilon) { parameter, _ ->
      if (weightDecay == 0.0 || excludeFromDecay.matches(parameter.name)) {
        ops
      } else {
        val w = parameter.variable
        val decay = ops.assignSub(w, ops.math.mul(w, decayRate))
        // Adam must read the decayed weights, and ApplyAdam updates them in place
        ops.withControlDependencies(listOf<Op>(decay))
      }
    }
  }

  override fun describe(): String =
    "AdamW(lr=$schedule, weightDecay=$weightDecay, beta1=$beta1, beta2=$beta2, epsilon=$epsilon)"
}
