package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Initializers
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/**
 * MoCo v2's queue of negative keys (He et al. 2020; Chen et al. 2020): a FIFO of [size] keys of
 * [dim] numbers held in a non-trainable variable ("[scope]/keys", [size, dim], starting as random
 * unit vectors as MoCo's code starts it) with a write position ("[scope]/pointer"). After every
 * training step an after-step op writes the step's keys, L2-normalised, at the pointer (wrapping
 * around; of more than [size] keys only the last [size]) and advances it. Both are saved with
 * checkpoints, so a resumed run has the same negatives.
 */
internal class KeyQueue(private val g: PipelineGraph, val size: Int, val dim: Int, private val scope: String) {
  init {
    require(size > 0) { "queue size: expected a number of keys > 0, got $size" }
  }

  /** The queued keys, [size, dim]; read them as extra negatives. */
  val keys: Variable<TFloat32> = g.variables.variable("$scope/keys", intArrayOf(size, dim), unitVectorInitializer(axis = 1), trainable = false)

  /** The row the next key goes to, as a float [1] (exact up to 2^24 rows). */
  val pointer: Variable<TFloat32> = g.variables.variable("$scope/pointer", intArrayOf(1), Initializers.zeros(), trainable = false)

  /** Enqueues the rows of [newKeys] ([n, dim]) after every training step. */
  fun enqueueAfterStep(newKeys: Operand<TFloat32>) {
    g.afterStep { ops ->
      val capacity = ops.constant(size)
      val n = ops.squeeze(ops.slice(ops.shape(newKeys), ops.constant(intArrayOf(0)), ops.constant(intArrayOf(1))))
      val take = ops.math.minimum(n, capacity)
      val recent = ops.slice(
        ops.stopGradient(newKeys),
        ops.stack(listOf(ops.math.sub(n, take), ops.constant(0))),
        ops.stack(listOf(take, ops.constant(-1))),
      )
      val start: Operand<TInt32> = ops.dtypes.cast(ops.squeeze(pointer), TInt32::class.java)
      val rows = ops.math.floorMod(ops.math.add(start, ops.range(ops.constant(0), take, ops.constant(1))), capacity)
      val write = ops.scatterUpdate(keys, rows, unitVectors(ops, recent, axis = 1))
      val next = ops.dtypes.cast(ops.math.floorMod(ops.math.add(start, take), capacity), TFloat32::class.java)
      val advance = ops.withControlDependencies(listOf<Op>(write)).assign(pointer, ops.reshape(next, ops.constant(intArrayOf(1))))
      ops.withControlDependencies(listOf<Op>(advance)).withName("$scope.enqueue").noOp()
    }
  }
}
