package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.engine.BatchResult
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.pipeline.Pipeline
import io.github.kontrast.dsl.pipeline.SimClrModel
import io.github.kontrast.dsl.pipeline.SwavModel
import io.github.kontrast.dsl.pipeline.TwoViewData
import io.github.kontrast.dsl.simclr
import io.github.kontrast.dsl.swav
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import java.nio.file.Files
import java.nio.file.Path

/**
 * What the data-parallel specs train, the same in the test JVM (one worker) and in the worker
 * processes: SimCLR with the specs' small encoder on fixed views of 40 8x8 images, global batch
 * 8, one epoch of 5 steps, Adam at 1e-2 (large enough that a wrong gradient moves the weights).
 */
object TwoWorkers {
  const val EXAMPLES = 40
  const val GLOBAL_BATCH = 8
  const val CHUNK_ROWS = 3

  fun data(): ArrayDataset = TwoViewData.fixedViews(EXAMPLES, seed = 2)

  /**
   * With [localBatch], a static batch size and NT-Xent in row blocks of [CHUNK_ROWS] views (8
   * local views of 2 workers: blocks of 3, 3 and 2), to check the gathered loss's chunked form.
   */
  fun simclr(localBatch: Int? = null): SimClrModel = simclr {
    if (localBatch != null) {
      batchSize = localBatch
      chunkRows(CHUNK_ROWS)
    }
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    loss = ntXent(0.5f)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  /** SwAV with the same encoder and head, 10 prototypes: its Sinkhorn codes are normalised over the global batch. */
  fun swav(): SwavModel = swav {
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    prototypes = 10
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  /** Records every step's loss. */
  class StepLosses : Callback() {
    val losses = mutableListOf<Double>()
    override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
      losses += batch.loss
    }
  }

  /** Rank r's local rows for the gather probe: 2 x 3, value 100 r + 10 i + j. */
  fun probeRows(rank: Int): FloatArray = FloatArray(6) { k -> 100f * rank + 10f * (k / 3) + (k % 3) }

  /** Rank r's weights on the gathered 4 x 3 matrix: (r + 1) * (1 + 3 i + j). */
  fun probeWeights(rank: Int): FloatArray = FloatArray(12) { k -> (rank + 1f) * (1 + k) }

  /**
   * Builds L = sum(W_r * gather(x_r)) on this worker and returns the gathered rows followed by
   * dL/dx_r, as the worker computes them.
   */
  fun gatherProbe(cluster: ClusterSpec): Pair<FloatArray, FloatArray> = Graph().use { g ->
    val c = DataParallel.replicate(cluster) { DataParallel.collectivesFor(g) }!!
    val tf = Ops.create(g)
    fun const(v: FloatArray, rows: Long): Operand<TFloat32> = tf.constant(Shape.of(rows, 3), DataBuffers.of(v, true, false))
    val x = const(probeRows(cluster.rank), 2)
    val all = c.gather(tf, x)
    val loss = tf.reduceSum(tf.math.mul(const(probeWeights(cluster.rank), 4), all), tf.constant(intArrayOf(0, 1)))
    val grad = tf.gradients(loss, listOf(x)).dy<TFloat32>(0)
    CollectiveServer.openSession(g).use { s ->
      s.runner().fetch(all).fetch(grad).run().use { r ->
        val a = r.get(0) as TFloat32
        val d = r.get(1) as TFloat32
        FloatArray(12) { a.getFloat((it / 3).toLong(), (it % 3).toLong()) } to FloatArray(6) { d.getFloat((it / 3).toLong(), (it % 3).toLong()) }
      }
    }
  }

  /** Starts the two worker JVMs ([main]) and returns the directory they wrote into. */
  fun run(dir: Path): Path = WorkerJvms.run(TwoWorkers::class.java, dir)

  /**
   * One worker: the gather probe, SimCLR data-parallel with the full and the chunked loss,
   * then SwAV; writes probe-r.txt, losses-r.txt, weights-r.ktck and their chunked-* and swav-*
   * twins into the directory.
   */
  @JvmStatic
  fun main(args: Array<String>) {
    val cluster = ClusterSpec.localhost(args[0].split(',').map { it.toInt() }, args[1].toInt())
    val dir = Path.of(args[2])
    val r = cluster.rank
    val (gathered, grad) = gatherProbe(cluster)
    Files.writeString(dir.resolve("probe-$r.txt"), gathered.joinToString(",") + "\n" + grad.joinToString(","))
    /** Trains one pipeline data-parallel; writes PREFIXlosses-r.txt, PREFIXweights-r.ktck and PREFIXsizes-r.txt (History's examples per step). */
    fun train(prefix: String, factory: () -> Pipeline) {
      val steps = StepLosses()
      DataParallel.replicate(cluster) { factory() }.use { m ->
        val history = DataParallel.fit(m, cluster, data(), DataParallelOptions(epochs = 1, batchSize = GLOBAL_BATCH, callbacks = listOf(steps)))
        m.save(dir.resolve("${prefix}weights-$r.ktck"))
        Files.writeString(dir.resolve("${prefix}sizes-$r.txt"), history.stepSizes.joinToString(","))
      }
      Files.writeString(dir.resolve("${prefix}losses-$r.txt"), steps.losses.joinToString(","))
    }
    train("") { simclr() }
    train("chunked-") {
      simclr(localBatch = GLOBAL_BATCH / cluster.size).also { m ->
        Files.writeString(dir.resolve("chunked-plan-$r.txt"), m.lossPlan.description + " " + m.lossPlan.anchors + "x" + m.lossPlan.columns)
      }
    }
    train("swav-") { swav() }
    WorkerJvms.finish(cluster, dir)
  }
}
