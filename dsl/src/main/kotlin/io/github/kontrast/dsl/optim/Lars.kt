package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.train.ApplyMomentum
import org.tensorflow.types.TFloat32

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman and Ginsburg 2017), as SimCLR trains with
 * it. Defaults as SimCLR's: momentum 0.9, weight decay 1e-6, eta 0.001, no Nesterov, biases and
 * normalization parameters excluded ([ParameterFilter.BIASES_AND_NORMALIZATION]); there is no
 * Keras or PyTorch LARS to follow.
 *
 * For each parameter not excluded, with `g' = g + weightDecay * w`:
 * `trust = eta * ||w|| / (||g|| + weightDecay * ||w||)` (1 when `||w||` or the denominator is 0),
 * `a = momentum * a + lr_t * trust * g'; w -= a` (Nesterov: `w -= momentum * a + lr_t * trust * g'`).
 * Excluded parameters get neither weight decay nor the trust ratio: plain momentum SGD with the
 * rate inside the accumulator. (SimCLR's code divides by `||g'||` instead of
 * `||g|| + weightDecay * ||w||`; this follows the paper's formula.)
 *
 * @property momentum the accumulator's decay, in [0, 1); 0.9.
 * @property weightDecay the L2 factor added to the gradient of parameters not excluded; 1e-6.
 * @property eta the trust coefficient scaling `||w|| / ||g||`; 0.001.
 * @property nesterov whether to use Nesterov momentum; false.
 * @property exclude the parameters that get plain momentum SGD; biases and normalization parameters by default.
 */
class Lars @JvmOverloads constructor(
  override val schedule: LearningRateSchedule,
  val momentum: Double = 0.9,
  val weightDecay: Double = 1e-6,
  val eta: Double = 0.001,
  val nesterov: Boolean = false,
  val exclude: ParameterFilter = ParameterFilter.BIASES_AND_NORMALIZATION,
) : GatedOptimizer("LARS") {
  init {
    requireUnitInterval("momentum", momentum)
    requireNonNegative("weightDecay", weightDecay)
    requirePositive("eta", eta)
    require(!nesterov || momentum > 0.0) { "nesterov: expected momentum > 0 for Nesterov momentum, got momentum = $momentum" }
  }

  override fun updates(ops: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>, step: StepInputs, slots: SlotFactory): List<Op> {
    val one = ops.scalar(1.0)
    val zero = ops.scalar(0.0)
    val momentumOp = ops.scalar(momentum)
    val decay = ops.scalar(weightDecay)
    val etaOp = ops.scalar(eta)
    return gradients.map { (parameter, gradient) ->
      val w = parameter.variable
      val scaledStep: Operand<TFloat32> = if (exclude.matches(parameter.name)) {
        ops.math.mul(step.learningRate, gradient)
      } else {
        val wNorm = l2Norm(ops, w)
        val gNorm = l2Norm(ops, gradient)
        val denominator = ops.math.add(gNorm, ops.math.mul(decay, wNorm))
        val usable = ops.math.logicalAnd(ops.math.greater(wNorm, zero), ops.math.greater(denominator, zero))
        // both branches are computed; the 0/0 of the rejected one is discarded by select
        val trust = ops.select(usable, ops.math.div(ops.math.mul(etaOp, wNorm), denominator), one)
        val decayed = ops.math.add(gradient, ops.math.mul(decay, w))
        ops.math.mul(ops.math.mul(step.learningRate, trust), decayed)
      }
      // ApplyMomentum with rate 1 on the pre-scaled step keeps the rate inside the accumulator:
      // a = momentum * a + scaledStep; w -= a (Nesterov: w -= scaledStep + momentum * a)
      ops.train.applyMomentum(
        w, slots.slot(parameter, "momentum"), one, scaledStep, momentumOp, ApplyMomentum.useNesterov(nesterov),
      )
    }
  }

  override fun describe(): String =
    "LARS(lr=$schedule, momentum=$momentum, weightDecay=$weightDecay, eta=$eta, nesterov=$nesterov)"
}

/** sqrt(sum(x^2)) over all elements, a scalar, whatever the rank. */
private fun l2Norm(ops: Ops, x: Operand<TFloat32>): Operand<TFloat32> {
  val flat = ops.reshape(x, ops.constant(intArrayOf(-1)))
  return ops.math.sqrt(ops.sum(ops.math.square(flat), ops.constant(0)))
}
