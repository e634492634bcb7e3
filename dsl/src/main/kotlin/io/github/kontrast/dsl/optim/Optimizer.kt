package io.github.kontrast.dsl.optim

import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32

/**
 * A trainable parameter as an optimizer sees it: its graph variable and a stable name.
 *
 * @property name the variable's path, e.g. "sequential/dense/kernel"; [ParameterFilter]s match it.
 * @property variable the variable the update writes to.
 */
class Parameter(val name: String, val variable: Variable<TFloat32>)

/**
 * Makes an optimizer's per-parameter state (Adam's moments, momentum buffers): a variable shaped
 * like the parameter, zero at the start, not trained, saved with checkpoints. The engine provides
 * it, so that optimizers never own storage and a restored run continues exactly.
 */
fun interface SlotFactory {
  /** A new slot [slotName] (e.g. "m", "momentum") of [parameter]; asking twice for one slot of one parameter fails. */
  fun slot(parameter: Parameter, slotName: String): Variable<TFloat32>
}

/**
 * Values that change every step. The engine computes them on the host and feeds them, so a
 * schedule is plain Kotlin and costs nothing in the graph.
 *
 * @property learningRate the schedule's value for this step, a scalar
 * @property step the 1-based number of this update, a float scalar (for bias corrections)
 */
class StepInputs(val learningRate: Operand<TFloat32>, val step: Operand<TFloat32>)

/** Turns gradients into variable updates. Implementations are immutable descriptions. */
interface Optimizer {
  /** The learning rate as a function of the 0-based step. */
  val schedule: LearningRateSchedule

  /** The ops that update every parameter from its gradient, grouped into one op. */
  fun applyGradients(
    tf: Ops,
    gradients: List<Pair<Parameter, Operand<TFloat32>>>,
    step: StepInputs,
    slots: SlotFactory,
  ): Op

  /** A short description for summaries and logs, e.g. "Adam(lr=0.001, beta1=0.9, beta2=0.999)". */
  fun describe(): String
}

/** The learning rate at each step, computed on the host. */
fun interface LearningRateSchedule {
  /** @param step the 0-based index of the update about to run */
  fun at(step: Long): Double
}
