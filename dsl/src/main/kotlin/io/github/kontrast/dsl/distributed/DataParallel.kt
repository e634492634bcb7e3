package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.pipeline.Pipeline
import org.tensorflow.Graph
import java.nio.file.Files
import java.util.function.Supplier

/**
 * Data-parallel training on TensorFlow's collective ops: N workers, one process each, each with
 * its TensorFlow server ([CollectiveServer]) and a replica of the pipeline's graph. After every
 * step the gradients are averaged over the workers (one all-reduce), so the weights, which every
 * worker initialises from the same seed, stay identical. Contrastive losses gather the
 * embeddings of every worker, so each anchor sees the negatives of the whole global batch
 * (`PipelineGraph.collectives`, [Collectives.gather]); SwAV's Sinkhorn codes are normalised over
 * the global batch ([Collectives.sum], [Collectives.max]). With the same seed and global batch, N
 * workers compute the losses and weights one process computes, to float rounding.
 *
 * Per worker (a process of `./kontrast ... --workers N`, or a Spark barrier task):
 * ```
 * val cluster = ClusterSpec(allAddresses, myRank)       // the same list on every worker
 * val history = DataParallel.train(cluster, dataset, DataParallelOptions(epochs = 5, batchSize = 256)) {
 *   simclr { seed = 7 }                                  // built inside the replica scope
 * }
 * ```
 * What a launcher (the Spark module) must do: give every worker the same address list and its
 * rank (a barrier `allGather` of "host:port"); pick ports that are free (see
 * [ClusterSpec.freePort]); call [train] (or [replicate] then [fit]) in the process that will stay
 * the worker, since a server lives as long as its process; let every worker run to the end
 * before any exits (a barrier), because the others read its buffers until their last step; give
 * every worker the whole dataset (each trains on its slice of every global batch). Only worker 0
 * writes the checkpoint; a restart resumes from it if it exists.
 *
 * Not worker-invariant: dropout masks (drawn per step for the local batch) and batch
 * normalisation (statistics of the local batch, as in DDP without SyncBatchNorm).
 */
object DataParallel {
  private val scope = ThreadLocal<ClusterSpec?>()

  /**
   * Starts this process's server for [cluster] (once per process) and runs [build] with graphs
   * that the engine builds for data-parallel training: pipelines created inside get the
   * collectives of [cluster]. With one worker nothing changes: no server, no collectives.
   */
  @JvmStatic
  fun <P> replicate(cluster: ClusterSpec, build: Supplier<P>): P {
    if (cluster.size > 1) CollectiveServer.start(cluster)
    val outer = scope.get()
    scope.set(cluster)
    try {
      return build.get()
    } finally {
      scope.set(outer)
    }
  }

  /**
   * The number of workers of the replica being built now: the cluster's size inside [replicate],
   * 1 outside. A builder reads it to size what depends on the global batch (the gathered
   * similarity matrix of a contrastive loss has every worker's views as columns).
   */
  @JvmStatic
  fun workers(): Int = scope.get()?.size ?: 1

  /**
   * The collectives of a graph built now: non-null only inside [replicate] with two or more
   * workers. The engine's graph builder calls it once per graph.
   */
  @JvmStatic
  fun collectivesFor(graph: Graph): Collectives? {
    val cluster = scope.get() ?: return null
    return if (cluster.size < 2) null else Collectives(graph, cluster.size, cluster.rank)
  }

  /**
   * Trains [pipeline] (built inside [replicate] with the same [cluster]) on this worker's slice of
   * every global batch of [train] ([ShardedDataset]), resuming from [DataParallelOptions.checkpoint]
   * when it exists; worker 0 alone writes it. Every worker returns the same History: the losses
   * and metrics are averaged over the workers at every step.
   */
  @JvmStatic
  fun fit(pipeline: Pipeline, cluster: ClusterSpec, train: Dataset, options: DataParallelOptions): History {
    require(options.batchSize % cluster.size == 0) {
      "batchSize: the global batch must split evenly over ${cluster.size} workers, got ${options.batchSize}"
    }
    val checkpoint = options.checkpoint
    if (checkpoint != null && Files.isRegularFile(checkpoint)) pipeline.restore(checkpoint)
    val remaining = options.epochs - pipeline.epoch
    if (remaining <= 0) return History(pipeline.unit)
    return pipeline.fit(
      ShardedDataset(train, cluster.size, cluster.rank),
      epochs = remaining,
      batchSize = options.batchSize / cluster.size,
      callbacks = options.callbacks,
      checkpoint = if (cluster.rank == 0) checkpoint else null,
    )
  }

  /** [replicate] the pipeline [factory] builds, [fit] it, close it; the History of the run. */
  @JvmStatic
  fun <P : Pipeline> train(cluster: ClusterSpec, train: Dataset, options: DataParallelOptions, factory: Supplier<P>): History =
    replicate(cluster, factory).use { fit(it, cluster, train, options) }
}
