package io.github.kontrast.dsl.layers

import io.github.kontrast.dsl.precision.Precision
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt64

/**
 * What a layer's forward pass may read besides its input: the graph's ops, the training flag
 * (1 while training, 0 in inference, fed per run), a per-step random seed for stateless random
 * ops, and a place to register update ops (batch norm's moving averages) that the engine runs
 * with the train step, and the [precision] models compute in.
 */
class ForwardContext @JvmOverloads constructor(
  /** The graph's ops. */
  val tf: Ops,
  /** 1.0 in a training step, 0.0 otherwise: a float scalar so layers blend with it arithmetically. */
  val training: Operand<TFloat32>,
  /** A [2] int64 seed that changes every step; see [nextSeed]. */
  private val stepSeed: Operand<TInt64>,
  /** What [SequentialInstance.apply] computes in: float32, or a reduced type for the layers that allow it. */
  val precision: Precision = Precision.FLOAT32,
) {
  private var randomOps = 0L
  private val updates = mutableListOf<Op>()

  /**
   * A seed for one stateless random op: the step seed offset by the op's position in the graph,
   * so that two dropout layers (or two calls of one) draw different masks, yet a resumed run
   * draws the same ones.
   */
  fun nextSeed(): Operand<TInt64> {
    randomOps++
    return tf.math.add(stepSeed, tf.constant(longArrayOf(0L, randomOps * 0x9E3779B97F4A7C15uL.toLong())))
  }

  /** Registers an op to run with every training step (not in inference). */
  fun addUpdate(op: Op) {
    updates += op
  }

  /** The update ops registered so far. */
  val updateOps: List<Op> get() = updates.toList()
}
