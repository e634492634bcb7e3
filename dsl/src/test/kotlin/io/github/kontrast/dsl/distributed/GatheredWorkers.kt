package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.mocoV3
import io.github.kontrast.dsl.pipeline.MocoV3Model
import io.github.kontrast.dsl.pipeline.Pipeline
import io.github.kontrast.dsl.pipeline.SupConModel
import io.github.kontrast.dsl.pipeline.TwoViewData
import io.github.kontrast.dsl.supCon
import java.nio.file.Files
import java.nio.file.Path

/**
 * The gathered losses' data-parallel runs, the same in the test JVM (one worker) and in two
 * worker processes: MoCo v3 without and with a key queue, and SupCon, each on [TwoWorkers]' data
 * (40 fixed two-view 8x8 images of 4 classes, global batch 8, one epoch of 5 steps, Adam at 1e-2).
 *
 * MoCo's heads have no batch normalisation (MoCo v3's defaults have it): its statistics are those
 * of each worker's local batch, so with it 2 workers would not compute what 1 worker computes on
 * the global batch (DDP without SyncBatchNorm behaves the same), and the test would compare
 * something else than the gathered loss.
 */
object GatheredWorkers {
  /** Queued keys in the queue run: more than one step's 16 keys, so the write position wraps. */
  const val QUEUE = 20

  /** The runs by name, in the order the workers train them. */
  val runs: Map<String, () -> Pipeline> = linkedMapOf(
    "moco" to { mocoPipeline(0) },
    "moco-queue" to { mocoPipeline(QUEUE) },
    "supcon" to { supConPipeline() },
    "supcon-chunked" to { supConPipeline(chunkRows = TwoWorkers.CHUNK_ROWS) },
  )

  fun mocoPipeline(queueSize: Int): MocoV3Model = mocoV3 {
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    predictor = mlp(16, 8, name = "predictor")
    this.queueSize = queueSize
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  /**
   * SupCon; with [chunkRows], a static batch (the global batch's share of each worker, so 4 on 2
   * workers and 8 on one) and the loss in row blocks of that many views.
   */
  fun supConPipeline(chunkRows: Int? = null): SupConModel = supCon {
    if (chunkRows != null) {
      batchSize = TwoWorkers.GLOBAL_BATCH / DataParallel.workers()
      chunkRows(chunkRows)
    }
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    loss = supConLoss(0.5f)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  /** Starts the two worker JVMs ([main]) and returns the directory they wrote into. */
  fun run(dir: Path): Path = WorkerJvms.run(GatheredWorkers::class.java, dir)

  /** One worker: every run of [runs] data-parallel; writes losses-NAME-r.txt and weights-NAME-r.ktck into the directory. */
  @JvmStatic
  fun main(args: Array<String>) {
    val cluster = ClusterSpec.localhost(args[0].split(',').map { it.toInt() }, args[1].toInt())
    val dir = Path.of(args[2])
    val r = cluster.rank
    for ((name, factory) in runs) {
      val steps = TwoWorkers.StepLosses()
      DataParallel.replicate(cluster) { factory() }.use { m ->
        DataParallel.fit(m, cluster, TwoWorkers.data(), DataParallelOptions(epochs = 1, batchSize = TwoWorkers.GLOBAL_BATCH, callbacks = listOf(steps)))
        m.save(dir.resolve("weights-$name-$r.ktck"))
      }
      Files.writeString(dir.resolve("losses-$name-$r.txt"), steps.losses.joinToString(","))
    }
    WorkerJvms.finish(cluster, dir)
  }
}
