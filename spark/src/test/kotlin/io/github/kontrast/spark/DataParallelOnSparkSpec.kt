package io.github.kontrast.spark

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.distributed.ClusterSpec
import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.dsl.distributed.DataParallelOptions
import io.github.kontrast.dsl.engine.BatchResult
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.sequential
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.simclr
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.io.Serializable
import java.util.function.Supplier
import kotlin.math.abs

/**
 * Data-parallel SimCLR launched by [BarrierLauncher] on the local-cluster's two executors against
 * the same training in one process (one worker, no collectives): the same loss at every step and
 * the same weights after it, seen through the embeddings of 16 images.
 */
class DataParallelOnSparkSpec : FunSpec({
  test("2 workers in 2 executor JVMs train SimCLR as 1 worker does: same losses at each of 6 steps, same weights on both") {
    val single = trainReplica(ClusterSpec.localhost(listOf(ClusterSpec.freePort()), 0))
    val runs = BarrierLauncher.launch(LocalCluster.session.sparkContext(), 2, ReplicaWorker<Int, ReplicaRun> { ctx, _ ->
      trainReplica(ctx.clusterSpec())
    })
    single.losses.size shouldBe STEPS
    for (run in runs) {
      run.losses.size shouldBe STEPS
      for (s in 0 until STEPS) abs(run.losses[s] - single.losses[s]) shouldBeLessThan 1e-4 * maxOf(1.0, abs(single.losses[s]))
    }
    // the all-reduced update is the same on both workers, so their weights are equal bit for bit
    runs[0].embeddings.toList() shouldBe runs[1].embeddings.toList()
    val worst = runs[0].embeddings.indices.maxOf { abs(runs[0].embeddings[it] - single.embeddings[it]).toDouble() }
    worst shouldBeLessThan 1e-4
    // the training moved the weights: the losses differ from step to step
    single.losses.toSet().size shouldBe STEPS
  }
})

private const val IMAGES = 96
private const val GLOBAL_BATCH = 32
private const val EPOCHS = 2
private const val STEPS = IMAGES / GLOBAL_BATCH * EPOCHS

/** One worker's record: its loss at every step and the embeddings of 16 fixed images afterwards. */
class ReplicaRun(val losses: List<Double>, val embeddings: FloatArray) : Serializable

/** Trains the same small SimCLR on [cluster]'s worker (built here, on the executor for a Spark task). */
fun trainReplica(cluster: ClusterSpec): ReplicaRun {
  val images = Mnist.loadSubset().train.take(IMAGES).images
  val data = ArrayDataset(mapOf(Batch.VIEW1 to images, Batch.VIEW2 to shifted(images)))
  val losses = ArrayList<Double>()
  val record = object : Callback() {
    override fun onBatchEnd(batch: BatchResult, control: TrainingControl) {
      losses.add(batch.loss)
    }
  }
  val model = DataParallel.replicate(cluster, Supplier {
    simclr {
      seed = 5
      input(28, 28, 1)
      encoder(sequential { name = "encoder"; conv2d(4, 5, activation = relu); maxPool(4); flatten(); dense(16, activation = relu) })
      projector = mlp(16, 8)
      loss = ntXent(0.5f)
      optimizer = adam(1e-2)
      verbosity = Verbosity.SILENT
    }
  })
  return model.use { m ->
    DataParallel.fit(m, cluster, data, DataParallelOptions(epochs = EPOCHS, batchSize = GLOBAL_BATCH, callbacks = listOf(record)))
    ReplicaRun(losses, m.embed(images.gather(IntArray(16) { it }), 16).data)
  }
}

/** Each image moved one pixel right and dimmed: a fixed second view. */
private fun shifted(images: FloatHostArray): FloatHostArray {
  val out = FloatArray(images.data.size)
  for (i in 0 until images.rows) for (r in 0 until 28) for (c in 1 until 28) {
    out[i * 784 + r * 28 + c] = 0.8f * images.data[i * 784 + r * 28 + c - 1]
  }
  return FloatHostArray(out, images.shape.copyOf())
}
