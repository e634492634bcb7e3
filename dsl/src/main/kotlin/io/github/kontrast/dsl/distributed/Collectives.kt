package io.github.kontrast.dsl.distributed

import io.github.kontrast.losses.distributed.AllGather
import io.github.kontrast.losses.distributed.AllReduce
import io.github.kontrast.dsl.optim.Parameter
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Output
import org.tensorflow.TensorFlow
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.RawCustomGradient
import org.tensorflow.op.collective.CollectiveGather
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import java.util.Collections
import java.util.WeakHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * The collective ops of one worker's graph in a data-parallel group of [size] workers: the
 * all-reduce of the gradients and of the step's statistics, and the all-gather of embeddings for
 * the losses ([AllGather]), the sums and maxima of SwAV's Sinkhorn over the global batch
 * ([AllReduce]). Every worker builds the same graphs in the same order, so the instance
 * keys drawn from a counter agree across workers without any exchange. The counter is the
 * process's, not the graph's: a worker that has moved on to its next graph must not meet a peer
 * still running the previous one under the same keys.
 *
 * The engine creates one per graph when the graph is built inside [DataParallel.replicate]; a
 * method reads it from `PipelineGraph.collectives` to gather its negatives.
 *
 * @property size the number of workers.
 */
class Collectives internal constructor(private val graph: Graph, val size: Int, private val rankInGroup: Int) : AllGather, AllReduce {
  init {
    require(size >= 2) { "size: a collective group needs at least 2 workers, got $size" }
    require(rankInGroup in 0 until size) { "rank: expected 0..${size - 1}, got $rankInGroup" }
    registerGatherGradient()
    groups[graph] = this
  }

  override fun rank(): Int = rankInGroup

  override fun size(): Int = size

  private fun instanceKey(tf: Ops): Operand<TInt32> = tf.constant(keys.getAndIncrement())

  /**
   * The element-wise sum of [x] over the workers, or with [mean] the average: TensorFlow's
   * CollectiveReduceV2 (built through the op builder: `Ops.collective.collectiveReduce` makes the
   * V3 op, which needs a communicator). It has no gradient.
   */
  @JvmOverloads
  fun allReduce(tf: Ops, x: Operand<TFloat32>, mean: Boolean = false): Operand<TFloat32> = reduce(tf, x, "Add", if (mean) "Div" else "Id")

  /** The element-wise sum over the workers ([allReduce]), for [AllReduce]'s users. */
  override fun sum(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> = allReduce(tf, x)

  /** The element-wise maximum over the workers. It has no gradient. */
  override fun max(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> = reduce(tf, x, "Max", "Id")

  private fun reduce(tf: Ops, x: Operand<TFloat32>, merge: String, final: String): Operand<TFloat32> {
    val op = tf.scope().env().opBuilder("CollectiveReduceV2", tf.scope().makeOpName("CollectiveReduceV2"), tf.scope())
      .addInput(x.asOutput())
      .addInput(tf.constant(size).asOutput())
      .addInput(tf.constant(GROUP_KEY).asOutput())
      .addInput(instanceKey(tf).asOutput())
      .addInputList(arrayOf())
      .setAttr("merge_op", merge)
      .setAttr("final_op", final)
      .setAttr("communication_hint", COMMUNICATION_HINT)
      .build()
    return op.output(0)
  }

  /**
   * The rows of every worker's [x], in rank order (TensorFlow's CollectiveGatherV2), with this
   * worker's own block replaced by [x] itself so that it keeps its gradient. The other blocks'
   * gradient reaches their owners through the gather's gradient: the sum over workers of the
   * upstream gradient, sliced at the owner's rank.
   */
  override fun gather(tf: Ops, x: Operand<TFloat32>): Operand<TFloat32> {
    val all = tf.collective.collectiveGather(x, tf.constant(size), tf.constant(GROUP_KEY), instanceKey(tf), listOf<Operand<*>>(),
      CollectiveGather.communicationHint(COMMUNICATION_HINT))
    val rows = tf.shape(x, TInt32::class.java).let { tf.gather(it, tf.constant(intArrayOf(0)), tf.constant(0)) }
    val start = tf.math.mul(rows, tf.constant(rankInGroup))
    val end = tf.math.add(start, rows)
    val before = tf.slice(all, tf.concat(listOf(tf.constant(intArrayOf(0)), zerosAfterFirst(tf, x)), tf.constant(0)),
      tf.concat(listOf(start, minusOnesAfterFirst(tf, x)), tf.constant(0)))
    val after = tf.slice(all, tf.concat(listOf(end, zerosAfterFirst(tf, x)), tf.constant(0)), tf.constant(IntArray(rankOf(x)) { -1 }))
    return tf.concat(listOf(before, x, after), tf.constant(0))
  }

  /**
   * The gradients averaged over the workers, in one all-reduce: every gradient flattened into one
   * vector, reduced, and split back, so a step pays one collective's latency rather than one per
   * variable.
   */
  fun allReduceGradients(tf: Ops, gradients: List<Pair<Parameter, Operand<TFloat32>>>): List<Pair<Parameter, Operand<TFloat32>>> {
    if (gradients.isEmpty()) return gradients
    val flat = gradients.map { (_, g) -> tf.reshape(g, tf.constant(intArrayOf(-1))) }
    val reduced = allReduce(tf, tf.concat(flat, tf.constant(0)), mean = true)
    val sizes = gradients.map { (p, _) -> p.variable.shape().size().toInt() }
    val parts = tf.splitV(reduced, tf.constant(sizes.toIntArray()), tf.constant(0), sizes.size.toLong())
    return gradients.mapIndexed { i, (p, _) ->
      p to tf.reshape(parts.output()[i], tf.constant(p.variable.shape().asArray().map { it.toInt() }.toIntArray()))
    }
  }

  private fun rankOf(x: Operand<TFloat32>): Int {
    val n = x.shape().numDimensions()
    require(n >= 1) { "gather: x must have a batch dimension, got shape ${x.shape()}" }
    return n
  }

  private fun zerosAfterFirst(tf: Ops, x: Operand<TFloat32>) = tf.constant(IntArray(rankOf(x) - 1))

  private fun minusOnesAfterFirst(tf: Ops, x: Operand<TFloat32>) = tf.constant(IntArray(rankOf(x) - 1) { -1 })

  /**
   * The gradient of CollectiveGatherV2 on this worker: every worker's upstream gradient summed,
   * this worker's block of it. It runs while TensorFlow holds the graph's lock, so it builds ops
   * only and asks the graph nothing (a shape query would wait for that lock forever).
   */
  private fun gatherGradient(tf: Ops, input: Output<*>, upstream: Output<*>): Operand<TFloat32> {
    @Suppress("UNCHECKED_CAST")
    val summed = allReduce(tf, upstream as Operand<TFloat32>)
    val blocks = tf.reshape(summed, tf.constant(intArrayOf(size, -1)))
    val mine = tf.gather(blocks, tf.constant(rankInGroup), tf.constant(0))
    return tf.reshape(mine, tf.shape(input, TInt32::class.java))
  }

  companion object {
    private const val GROUP_KEY = 1

    /**
     * The implementation every collective asks for. TensorFlow (CollectiveParamResolverLocal)
     * uses NCCL when the hint is "nccl", the group's devices are GPUs and the build has NCCL (the
     * linux-x86_64-gpu natives of `-Pgpu`); on CPUs it takes its ring implementation whatever
     * the hint. So one graph serves both.
     */
    const val COMMUNICATION_HINT = "nccl"

    /** The next collective instance key of this process. */
    private val keys = AtomicInteger(1)

    /** The group of each graph, for the gradient function, which TensorFlow registers per op type and process. */
    private val groups: MutableMap<Graph, Collectives> = Collections.synchronizedMap(WeakHashMap())

    @Volatile
    private var registered = false

    @Synchronized
    private fun registerGatherGradient() {
      if (registered) return
      TensorFlow.registerCustomGradient("CollectiveGatherV2", RawCustomGradient { tf, op, upstream ->
        val group = groups[op.env()]
          ?: throw IllegalStateException("CollectiveGatherV2 '${op.name()}' belongs to a graph built outside DataParallel: no gradient")
        // the integer inputs (group size, group key, instance key) get zeros: TF Java 1.1.0 refuses null
        listOf<Operand<*>>(
          group.gatherGradient(tf, op.input(0), upstream[0]),
          tf.zerosLike(op.input(1) as Operand<TInt32>),
          tf.zerosLike(op.input(2) as Operand<TInt32>),
          tf.zerosLike(op.input(3) as Operand<TInt32>),
        )
      })
      registered = true
    }
  }
}
