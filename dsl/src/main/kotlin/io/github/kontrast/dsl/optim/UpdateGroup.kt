package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * Checks the (parameter, gradient) pairs an engine hands to an optimizer and returns an [Ops]
 * whose ops wait until every gradient has been computed.
 *
 * The wait matters because TensorFlow's `Apply*` ops update reference variables in place: without
 * it, the update of a late layer could run while the gradient of an earlier layer still reads that
 * layer's weights, and backpropagation would see a half-updated model (TF1's GATE_GRAPH).
 */
internal fun gatedOps(tf: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>): Ops {
  require(gradients.isNotEmpty()) { "gradients: expected at least one (parameter, gradient) pair, got none" }
  val seen = HashSet<String>()
  for ((parameter, gradient) in gradients) {
    require(seen.add(parameter.name)) { "gradients: expected each parameter once, got '${parameter.name}' twice" }
    val expected = parameter.variable.shape()
    val actual = gradient.shape()
    require(expected.isCompatibleWith(actual)) {
      "gradients: expected the gradient of '${parameter.name}' shaped like the parameter $expected, got $actual"
    }
  }
  val barriers: List<Op> = gradients.map { (_, gradient) -> tf.identity(gradient) }
  return tf.withControlDependencies(barriers)
}

/** One op that runs all [updates]. */
internal fun groupUpdates(tf: Ops, updates: List<Op>): Op = tf.withControlDependencies(updates).noOp()

/** A float32 scalar constant for a hyper-parameter given as a double. */
internal fun Ops.scalar(value: Double): Operand<TFloat32> = constant(value.toFloat())

/**
 * The base of the built-in optimizers. [applyGradients] checks the gradients and makes every update
 * wait for all of them ([gatedOps]), builds each parameter's update under the optimizer's name
 * scope [scope] (`"Adam"`, `"SGD"`), and groups the updates into one op; a subclass writes only
 * [updates] and [describe]. Implement [Optimizer] directly for an optimizer that must build its
 * own gating.
 */
abstract class GatedOptimizer internal constructor(private val scope: String) : Optimizer {
  final override fun applyGradients(
    tf: Ops,
    gradients: List<Pair<Parameter, Operand<TFloat32>>>,
    step: StepInputs,
    slots: SlotFactory,
  ): Op = groupUpdates(tf, updates(gatedOps(tf, gradients).withSubScope(scope), gradients, step, slots))

  /**
   * The update op of every parameter, built with [ops]: an [Ops] whose ops already wait for every
   * gradient and carry the optimizer's name scope.
   */
  protected abstract fun updates(
    ops: Ops,
    gradients: List<Pair<Parameter, Operand<TFloat32>>>,
    step: StepInputs,
    slots: SlotFactory,
  ): List<Op>

  /** The same as [describe]. */
  override fun toString(): String = describe()
}
