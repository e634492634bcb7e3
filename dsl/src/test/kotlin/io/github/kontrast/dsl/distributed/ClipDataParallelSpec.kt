package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.augment.MultimodalAugmentation
import io.github.kontrast.dsl.augment.augmented
import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.pipeline.ClipData
import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.dsl.text.WordDropout
import io.github.kontrast.dsl.pipeline.ClipModel
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import kotlin.math.abs

/**
 * CLIP on two worker processes on loopback against this JVM as the single worker: with the same
 * seeds, global batch and data order, the gathered loss ([io.github.kontrast.losses.distributed.GatheredClip])
 * gives the single worker's loss at every step, its History (the retrieval accuracies over the
 * global batch included) and its weights, the logit scale included, after 6 steps, with the
 * gathered loss in full and in row blocks. And CLIP's
 * augmented pairs, sharded, are the single process's in every epoch.
 */
class ClipDataParallelSpec : FunSpec({
  val dir by lazy { ClipWorkers.run(tempdir().toPath()) }

  /** |a - b| within 1e-5 relative to |b|, or 1e-5 absolute where |b| < 1. */
  fun close(a: Double, b: Double) = abs(a - b) <= 1e-5 * maxOf(1.0, abs(b))

  /** The single process: per-step losses, History, final variables. */
  val single by lazy {
    val steps = TwoWorkers.StepLosses()
    ClipWorkers.clip().use { m ->
      val history = m.fit(ClipWorkers.data(), epochs = ClipWorkers.EPOCHS, batchSize = ClipWorkers.GLOBAL_BATCH, callbacks = listOf(steps))
      Triple(steps.losses.toList(), ClipWorkers.readHistory(ClipWorkers.historyLines(history)), m.engine.checkpoint())
    }
  }

  /** Worker files with [prefix] against the single process: every step's loss, the History, every variable. */
  fun checkWorkers(prefix: String) {
    val (losses, history, reference) = single
    val steps = ClipWorkers.EPOCHS * ClipWorkers.EXAMPLES / ClipWorkers.GLOBAL_BATCH
    losses.size shouldBe steps
    for (rank in 0..1) {
      val theirs = Files.readString(dir.resolve("${prefix}losses-$rank.txt")).split(',').map { it.toDouble() }
      withClue("rank $rank losses $theirs, single worker $losses") {
        theirs.size shouldBe steps
        theirs.zip(losses).all { (a, b) -> close(a, b) } shouldBe true
      }
      val workerHistory = ClipWorkers.readHistory(Files.readString(dir.resolve("${prefix}history-$rank.txt")))
      workerHistory.keys shouldBe history.keys
      for ((key, values) in history) {
        val other = workerHistory.getValue(key)
        withClue("rank $rank History '$key': $other, single worker $values") {
          other.size shouldBe values.size
          other.zip(values).all { (a, b) -> close(a, b) } shouldBe true
        }
      }
      val weights = Checkpoint.read(dir.resolve("${prefix}weights-$rank.ktck"))
      weights.step shouldBe steps.toLong()
      WorkerJvms.assertSameVariables("rank $rank against 1 worker", reference, weights)
    }
  }

  test("CLIP on 2 workers gives the single worker's loss at every step, its History and its weights (logit scale included)") {
    checkWorkers("")
    Files.readString(dir.resolve("plan-0.txt")) shouldContain "full matrix"
    // the weights moved, the logit scale too: a wrong gradient would show
    val reference = single.third
    val initial = ClipWorkers.clip().use { it.engine.checkpoint() }
    val moved = reference.values.entries.maxOf { (path, t) -> t.data.indices.maxOf { abs(t.data[it] - initial.values.getValue(path).data[it]).toDouble() } }
    moved shouldBeGreaterThan 1e-2
    val scaleMoved = abs(reference.values.getValue(ClipModel.LOGIT_SCALE).data[0] - initial.values.getValue(ClipModel.LOGIT_SCALE).data[0]).toDouble()
    withClue("the log logit scale moved by $scaleMoved") { scaleMoved shouldBeGreaterThan 1e-3 }
  }

  test("in row blocks (each worker's 4 pairs in blocks of 3 and 1 against the 8 of both) the same as the single worker's full matrix") {
    Files.readString(dir.resolve("chunked-plan-0.txt")) shouldContain "chunked, 3-row blocks"
    checkWorkers("chunked-")
  }

  test("the pairs of a MultimodalDataset (a random caption and word dropout per example) sharded over 2 workers are, joined in rank order, the single process's batches in every epoch") {
    val pairs = ClipData.pairs(24, seed = 9)
    val tokenizer = Tokenizer.fit(pairs.allCaptions, maxLength = 8)
    val source = pairs.augmented(tokenizer, MultimodalAugmentation(text = WordDropout(0.3)), seed = 5)
    fun epoch(d: Dataset, batchSize: Int, e: Int): List<Map<String, List<Number>>> =
      d.batches(batchSize, true, 11L, e, false).use { it.asSequence().map { b -> b.arrays.mapValues { (_, a) -> if (a is FloatHostArray) a.data.toList() else (a as IntHostArray).data.toList() } }.toList() }
    for (e in 0..2) {
      val single = epoch(source, 8, e)
      val shards = (0..1).map { epoch(ShardedDataset(source, 2, it), 4, e) }
      single.size shouldBe 3
      single.forEachIndexed { b, whole ->
        whole.keys shouldBe setOf(io.github.kontrast.dsl.data.Batch.IMAGE, CaptionedImages.TOKENS, CaptionedImages.MASK, CaptionedImages.EXAMPLE)
        for (key in whole.keys) (shards[0][b].getValue(key) + shards[1][b].getValue(key)) shouldBe whole.getValue(key)
      }
    }
    // the captions differ between epochs (drawn anew, words dropped anew), so the check compared something epoch-specific
    val tokens = (0..1).map { e -> epoch(source, 24, e)[0].getValue(CaptionedImages.TOKENS) }
    (tokens[0] == tokens[1]) shouldBe false
  }
})
