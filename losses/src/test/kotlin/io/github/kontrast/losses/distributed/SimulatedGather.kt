package io.github.kontrast.losses.distributed

import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * Worker [rank] of [workers] simulated in one graph: [gather] returns [blocks] (every worker's
 * local rows, built from the same source tensors as the worker's own) concatenated in rank order,
 * with this worker's block replaced by the argument itself, as the real gather does. Because every
 * block is a real tensor of the graph, the gradient of the mean of all workers' losses with
 * respect to the sources is what data-parallel training computes: each worker's gradient, with
 * the gather's gradient summed over workers, averaged over workers.
 *
 * With [detached] the other workers' blocks carry no gradient (the bug of an all-gather without
 * a backward pass): the specs show that their checks catch it.
 */
class SimulatedGather(
  private val workers: Int,
  private val rank: Int,
  private val blocks: List<Operand<TFloat32>>,
  private val detached: Boolean = false,
) : AllGather {
  override fun size(): Int = workers

  override fun rank(): Int = rank

  override fun gather(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> =
    tf.concat(blocks.mapIndexed { w, block -> if (w == rank) x else if (detached) tf.stopGradient(block) else block }, tf.constant(0))

  companion object {
    /** Rows [w * b, (w + 1) * b) of [x] ([B, D] with a static B divisible by [workers]): worker w's slice of the global batch. */
    fun slice(tf: Ops, x: Operand<TFloat32>, workers: Int, w: Int): Operand<TFloat32> {
      val total = x.shape().size(0).toInt()
      require(total % workers == 0) { "the global batch $total does not split over $workers workers" }
      val b = total / workers
      return tf.slice(x, tf.constant(intArrayOf(w * b, 0)), tf.constant(intArrayOf(b, x.shape().size(1).toInt())))
    }
  }
}
