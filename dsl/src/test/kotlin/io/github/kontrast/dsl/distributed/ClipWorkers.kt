package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.clip
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.maskedMeanPooling
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.pipeline.ClipData
import io.github.kontrast.dsl.pipeline.ClipModel
import io.github.kontrast.dsl.text.Tokenizer
import java.nio.file.Files
import java.nio.file.Path

/**
 * What the data-parallel CLIP spec trains, the same in the test JVM (one worker) and in the two
 * worker processes: a tiny CLIP (a dense image tower on 8x8 colour patches, a bag-of-words text
 * tower, 8-dimensional embeddings) on 24 captioned images with their canonical captions, global
 * batch 8, two epochs of 3 steps, Adam at 1e-2 (large enough that a wrong gradient, the logit
 * scale's included, moves the weights apart).
 */
object ClipWorkers {
  const val EXAMPLES = 24
  const val GLOBAL_BATCH = 8
  const val EPOCHS = 2

  private val pairs = ClipData.pairs(EXAMPLES, seed = 4)
  private val tokenizer = Tokenizer.fit(pairs.allCaptions, maxLength = 8)

  /** The canonical captions, tokenized: plain arrays, so every worker's slice is the single worker's rows. */
  fun data(): Dataset = pairs.evaluation(tokenizer)

  /** Rows per block of the chunked run: the 4 local pairs of each of 2 workers in blocks of 3 and 1. */
  const val CHUNK_ROWS = 3

  /**
   * The model; with [localBatch] set, built for that static batch and the loss in blocks of
   * [CHUNK_ROWS] rows (a worker's batch under data-parallel training).
   */
  fun clip(localBatch: Int? = null): ClipModel = clip {
    seed = 6
    localBatch?.let { batchSize = it; chunkRows(CHUNK_ROWS) }
    verbosity = Verbosity.SILENT
    image {
      input(8, 8, 3)
      encoder { flatten(); dense(16, activation = relu) }
      projection(8)
    }
    text {
      this.tokenizer = this@ClipWorkers.tokenizer
      encoder { embedding(vocabularySize, 8); maskedMeanPooling() }
      projection(8)
    }
    optimizer = adam(1e-2)
  }

  /** The History's per-epoch values, one line per key: "key=v1,v2". */
  fun historyLines(h: History): String = h.keys.sorted().joinToString("\n") { k -> "$k=" + h[k].joinToString(",") }

  /** Reads [historyLines]. */
  fun readHistory(text: String): Map<String, List<Double>> =
    text.lines().filter { it.isNotBlank() }.associate { line -> line.substringBefore('=') to line.substringAfter('=').split(',').map { it.toDouble() } }

  /** Starts two worker JVMs ([main]) on free loopback ports, waits for both and returns the directory they wrote into. */
  fun run(dir: Path): Path = WorkerJvms.run(ClipWorkers::class.java, dir)

  /**
   * One worker: CLIP data-parallel with the full loss, then in row blocks; writes losses-r.txt,
   * history-r.txt, weights-r.ktck, plan-r.txt and their chunked-* twins into the directory.
   */
  @JvmStatic
  fun main(args: Array<String>) {
    val cluster = ClusterSpec.localhost(args[0].split(',').map { it.toInt() }, args[1].toInt())
    val dir = Path.of(args[2])
    val r = cluster.rank
    for ((prefix, localBatch) in listOf("" to null, "chunked-" to GLOBAL_BATCH / cluster.size)) {
      val steps = TwoWorkers.StepLosses()
      val history = DataParallel.replicate(cluster) { clip(localBatch) }.use { m ->
        Files.writeString(dir.resolve("${prefix}plan-$r.txt"), m.lossPlan.description)
        DataParallel.fit(m, cluster, data(), DataParallelOptions(epochs = EPOCHS, batchSize = GLOBAL_BATCH, callbacks = listOf(steps)))
          .also { m.save(dir.resolve("${prefix}weights-$r.ktck")) }
      }
      Files.writeString(dir.resolve("${prefix}losses-$r.txt"), steps.losses.joinToString(","))
      Files.writeString(dir.resolve("${prefix}history-$r.txt"), historyLines(history))
    }
    WorkerJvms.finish(cluster, dir)
  }
}
