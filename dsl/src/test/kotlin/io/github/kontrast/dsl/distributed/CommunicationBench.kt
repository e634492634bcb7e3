package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.pipeline.Pipeline
import io.github.kontrast.dsl.siamese
import io.github.kontrast.dsl.simclr
import org.tensorflow.Graph
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale
import java.util.SplittableRandom

/**
 * The share of a data-parallel step spent communicating, measured by hand (not a test): run it as
 * two processes, `CommunicationBench PORT0,PORT1 RANK OUT_DIR`. For document 001's Siamese model
 * (global batch 64 pairs) and SimCLR with its small CNN (global batch 256 images), worker 0
 * writes the median step time of the same model trained alone at the worker's local batch, the
 * median step time on two workers, and the median time of an all-reduce of as many floats as the
 * model has trainable parameters between the two processes.
 */
object CommunicationBench {
  private const val STEPS = 30

  @JvmStatic
  fun main(args: Array<String>) {
    val cluster = ClusterSpec.localhost(args[0].split(',').map { it.toInt() }, args[1].toInt())
    val out = Path.of(args[2])
    val lines = mutableListOf<String>()
    val cases = listOf(
      Triple("document 001 siamese (107,456 params), 64 pairs", 64, { siamese { seed = 1; quiet = true; verbosity = io.github.kontrast.dsl.engine.Verbosity.SILENT } as Pipeline }),
      Triple("SimCLR small CNN (223,744 + head), 256 images", 256, { simclr { seed = 1; verbosity = io.github.kontrast.dsl.engine.Verbosity.SILENT } as Pipeline }),
    )
    CollectiveServer.start(cluster)
    for ((name, global, factory) in cases) {
      val local = global / cluster.size
      val data = if (name.startsWith("document")) pairs(global * (STEPS + 2)) else views(global * (STEPS + 2))
      val alone = factory().use { m -> m.fit(data, epochs = 1, batchSize = local).stepMillisMedian() }
      val params = factory().use { it.summary(print = false).trainableParams }
      val together = DataParallel.replicate(cluster) { factory() }.use { m ->
        DataParallel.fit(m, cluster, data, DataParallelOptions(epochs = 1, batchSize = global)).stepMillisMedian()
      }
      val reduce = allReduceMillis(cluster, params.toInt())
      lines += String.format(
        Locale.ROOT, "%s: alone at %d per worker %.1f ms/step; 2 workers %.1f ms/step (+%.0f%%); all-reduce of %d floats %.1f ms (%.0f%% of the step)",
        name, local, alone, together, 100 * (together - alone) / together, params, reduce, 100 * reduce / together,
      )
    }
    if (cluster.rank == 0) Files.writeString(out.resolve("communication.txt"), lines.joinToString("\n") + "\n")
    WorkerJvms.finish(cluster, out)
  }

  private fun allReduceMillis(cluster: ClusterSpec, n: Int): Double = Graph().use { g ->
    val c = DataParallel.replicate(cluster) { DataParallel.collectivesFor(g) }!!
    val tf = Ops.create(g)
    val x = tf.fill(tf.constant(intArrayOf(n)), tf.constant(1f))
    val sum = tf.reduceSum(c.allReduce(tf, x, mean = true), tf.constant(0))
    CollectiveServer.openSession(g).use { s ->
      val times = (0 until STEPS + 5).map {
        val t0 = System.nanoTime()
        s.runner().fetch(sum).run().use { r -> check((r.get(0) as TFloat32).getFloat() == n.toFloat()) }
        (System.nanoTime() - t0) / 1e6
      }.drop(5).sorted()
      times[times.size / 2]
    }
  }

  private fun images(n: Int, r: SplittableRandom) = FloatHostArray(FloatArray(n * 784) { r.nextFloat() }, intArrayOf(n, 28, 28, 1))

  private fun pairs(n: Int): ArrayDataset {
    val r = SplittableRandom(5)
    return ArrayDataset(Batch.FIRST to images(n, r), Batch.SECOND to images(n, r), Batch.LABEL to FloatHostArray(FloatArray(n) { (it % 2).toFloat() }, intArrayOf(n)))
  }

  private fun views(n: Int): ArrayDataset {
    val r = SplittableRandom(6)
    return ArrayDataset(Batch.VIEW1 to images(n, r), Batch.VIEW2 to images(n, r))
  }
}
