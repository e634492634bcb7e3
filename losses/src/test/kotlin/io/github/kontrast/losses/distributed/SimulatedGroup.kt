package io.github.kontrast.losses.distributed

import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * [size] workers of a data-parallel group simulated in one graph, without processes, for losses
 * that gather tensors they build themselves (several gathers per call, labels too): every
 * worker's loss is built from slices of the same source tensors, and a worker's gather returns
 * the tensors that every worker passes to the same gather call, concatenated in rank order. The
 * other workers' rows are then the very tensors they are computed from, so the gradient of a
 * worker's loss reaches them, as the real gather's gradient (the sum over workers of the upstream,
 * sliced at the owner's rank) sends it to them. The gradient of the mean of the workers' losses is
 * therefore what averaging the workers' gradients gives.
 *
 * With [othersWithoutGradient] the other workers' rows are cut from the gradient: the gather of
 * lightly's old bug, where a worker's negatives from the others pushed nothing back. Each gather
 * call is a [SimulatedGather] over the blocks recorded for it.
 */
class SimulatedGroup(val size: Int, private val othersWithoutGradient: Boolean = false) {
  /**
   * Builds [worker] once per rank and returns the results in rank order. [worker] must make the
   * same gather calls, in the same order, for every rank (as the real workers' graphs do): a first
   * pass records what each rank passes to its gathers, a second builds the losses on those.
   */
  fun <T> build(tf: Ops, worker: (AllGather) -> T): List<T> {
    val recorded = List(size) { mutableListOf<Operand<TFloat32>>() }
    for (r in 0 until size) worker(Recorder(r, recorded[r]))
    return (0 until size).map { r -> worker(Replay(r, recorded)) }
  }

  /** The mean over ranks of the scalar [worker] builds: what the workers report averaged. */
  fun mean(tf: Ops, worker: (AllGather) -> Operand<TFloat32>): Operand<TFloat32> =
    tf.math.div(build(tf, worker).reduce { a, b -> tf.math.add(a, b) }, tf.constant(size.toFloat()))

  private inner class Recorder(private val rank: Int, private val calls: MutableList<Operand<TFloat32>>) : AllGather {
    override fun size(): Int = this@SimulatedGroup.size

    override fun rank(): Int = rank

    // a stand-in of the gathered shape; the first pass's losses are never used
    override fun gather(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> {
      calls += x
      return tf.concat(List(size) { x }, tf.constant(0))
    }
  }

  private inner class Replay(private val rank: Int, private val recorded: List<List<Operand<TFloat32>>>) : AllGather {
    private var call = 0

    override fun size(): Int = this@SimulatedGroup.size

    override fun rank(): Int = rank

    override fun gather(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> {
      val k = call++
      val blocks = (0 until size).map { w -> recorded[w][k] }
      blocks.forEachIndexed { w, theirs ->
        withClue("gather call $k: rank $w passed ${theirs.shape()}, rank $rank passes ${x.shape()}") {
          theirs.shape().toString() shouldBe x.shape().toString()
        }
      }
      return SimulatedGather(size, rank, blocks, othersWithoutGradient).gather(tf, x)
    }
  }

  companion object {
    /** Rank [rank] of [size] whose gather repeats its own rows [size] times: enough for graph-build checks. */
    fun repeating(size: Int, rank: Int): AllGather = object : AllGather {
      override fun size(): Int = size

      override fun rank(): Int = rank

      override fun gather(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> = tf.concat(List(size) { x }, tf.constant(0))
    }
  }
}
