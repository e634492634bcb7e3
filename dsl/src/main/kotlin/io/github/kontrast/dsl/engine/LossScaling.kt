package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.optim.Parameter
import io.github.kontrast.dsl.precision.LossScale
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TBool
import org.tensorflow.types.TFloat32

/**
 * The graph side of [LossScale]: gradients of the scaled loss, divided by the scale; a flag
 * saying whether all of them are finite; and the gradients the optimizer gets, which pass through
 * a Switch on that flag. When the flag is false those tensors are dead, so the optimizer's update
 * ops (and the ops after the step) do not run at all: the step is skipped, moments included,
 * with no conditional on the host and still one Session.run per step.
 *
 * @property gradients (parameter, gradient) pairs for the optimizer, live only on a finite step.
 * @property finite true when every unscaled gradient is finite.
 * @property scale the scale this step used, a float32 scalar variable.
 * @property update the op that moves a dynamic scale (halve on overflow, double after the growth interval); null for a fixed one.
 */
internal class LossScaling private constructor(
  val gradients: List<Pair<Parameter, Operand<TFloat32>>>,
  val finite: Operand<TBool>,
  val scale: Operand<TFloat32>,
  val update: Op?,
) {
  companion object {
    /** Scale names in checkpoints: the current scale and the count of finite steps since it last changed. */
    const val SCALE_PATH = "kontrast/loss_scale"
    const val GOOD_STEPS_PATH = "kontrast/loss_scale_good_steps"

    /**
     * Builds the scaled gradients of [loss] for [params]. [gradientsOf] differentiates (the
     * caller's checks for unreached parameters stay with it).
     */
    fun build(
      tf: Ops,
      loss: Operand<TFloat32>,
      params: List<Parameter>,
      lossScale: LossScale,
      variables: VariableStore,
      gradientsOf: (Operand<TFloat32>) -> List<Operand<TFloat32>>,
    ): LossScaling {
      require(lossScale.isActive) { "lossScale: expected an active loss scale, got $lossScale" }
      val scaleVar = variables.variable(SCALE_PATH, intArrayOf(1), Initializers.constant(lossScale.initial.toFloat()), trainable = false)
      val scale = tf.reshape(scaleVar, tf.constant(IntArray(0)))
      val scaled = gradientsOf(tf.math.mul(loss, scale))
      val inverse = tf.math.reciprocal(scale)
      val unscaled = scaled.map { tf.math.mul(it, inverse) }
      val allAxes = { g: Operand<TFloat32> -> tf.constant(IntArray(g.shape().numDimensions()) { it }) }
      val perGradient = unscaled.map { g -> tf.reduceAll(tf.math.isFinite(g), allAxes(g)) }
      val finite: Operand<TBool> = tf.withName("kontrast.grads_finite").reduceAll(tf.stack(perGradient), tf.constant(0))
      val gated = params.zip(unscaled).map { (p, g) -> p to (tf.switchCond(g, finite).outputTrue() as Operand<TFloat32>) }
      val update = if (lossScale.isDynamic) dynamicUpdate(tf, scaleVar, finite, lossScale, variables, unscaled) else null
      return LossScaling(gated, finite, scale, update)
    }

    /**
     * good = finite ? good + 1 : 0; at good = interval the scale doubles and good restarts at 0;
     * on overflow the scale halves (never below 1). Runs after every gradient has been read.
     */
    private fun dynamicUpdate(
      tf: Ops,
      scaleVar: org.tensorflow.op.core.Variable<TFloat32>,
      finite: Operand<TBool>,
      lossScale: LossScale,
      variables: VariableStore,
      gradients: List<Operand<TFloat32>>,
    ): Op {
      val goodVar = variables.variable(GOOD_STEPS_PATH, intArrayOf(1), Initializers.zeros(), trainable = false)
      val after = tf.withControlDependencies(gradients.map { tf.identity(it) as Op } + listOf(tf.identity(finite) as Op))
      val one = after.constant(floatArrayOf(1f))
      val zero = after.constant(floatArrayOf(0f))
      val finiteV = after.reshape(finite, after.constant(intArrayOf(1)))
      val nextGood = after.math.add(after.identity(goodVar), one)
      val grow = after.math.greaterEqual(nextGood, after.constant(floatArrayOf(lossScale.growthInterval.toFloat())))
      val current = after.identity(scaleVar)
      val grown = after.select(grow, after.math.mul(current, after.constant(floatArrayOf(2f))), current)
      val halved = after.math.maximum(after.math.mul(current, after.constant(floatArrayOf(0.5f))), one)
      val newScale = after.select(finiteV, grown, halved)
      val newGood = after.select(finiteV, after.select(grow, zero, nextGood), zero)
      val assigns = listOf<Op>(after.assign(scaleVar, newScale), after.assign(goodVar, newGood))
      return tf.withControlDependencies(assigns).withName("kontrast.loss_scale_update").noOp()
    }
  }
}
