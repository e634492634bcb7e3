package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.pipeline.ClipModel
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import kotlin.math.abs

/**
 * CLIP on two worker processes on loopback against this JVM as the single worker: with the same
 * seeds, global batch and data order, the gathered loss ([io.github.kontrast.losses.distributed.GatheredClip])
 * gives the single worker's loss at every step, its History (the retrieval accuracies over the
 * global batch included) and its weights, the logit scale included, after 6 steps.
 */
class ClipDataParallelSpec : FunSpec({
  val dir by lazy { ClipWorkers.run(tempdir().toPath()) }

  /** |a - b| within 1e-5 relative to |b|, or 1e-5 absolute where |b| < 1. */
  fun close(a: Double, b: Double) = abs(a - b) <= 1e-5 * maxOf(1.0, abs(b))

  test("CLIP on 2 workers gives the single worker's loss at every step, its History and its weights (logit scale included)") {
    val single = TwoWorkers.StepLosses()
    val (history, reference) = ClipWorkers.clip().use { m ->
      m.fit(ClipWorkers.data(), epochs = ClipWorkers.EPOCHS, batchSize = ClipWorkers.GLOBAL_BATCH, callbacks = listOf(single)) to m.engine.checkpoint()
    }
    val steps = ClipWorkers.EPOCHS * ClipWorkers.EXAMPLES / ClipWorkers.GLOBAL_BATCH
    single.losses.size shouldBe steps
    val expectedHistory = ClipWorkers.readHistory(ClipWorkers.historyLines(history))
    for (rank in 0..1) {
      val losses = Files.readString(dir.resolve("losses-$rank.txt")).split(',').map { it.toDouble() }
      withClue("rank $rank losses $losses, single worker ${single.losses}") {
        losses.size shouldBe steps
        losses.zip(single.losses).all { (a, b) -> close(a, b) } shouldBe true
      }
      val workerHistory = ClipWorkers.readHistory(Files.readString(dir.resolve("history-$rank.txt")))
      workerHistory.keys shouldBe expectedHistory.keys
      for ((key, values) in expectedHistory) {
        val other = workerHistory.getValue(key)
        withClue("rank $rank History '$key': $other, single worker $values") {
          other.size shouldBe values.size
          other.zip(values).all { (a, b) -> close(a, b) } shouldBe true
        }
      }
      val weights = Checkpoint.read(dir.resolve("weights-$rank.ktck"))
      weights.step shouldBe steps.toLong()
      weights.values.keys shouldBe reference.values.keys
      for ((path, t) in reference.values) {
        val other = weights.values.getValue(path).data
        val worst = t.data.indices.maxOf { abs(t.data[it] - other[it]).toDouble() / maxOf(1.0, abs(t.data[it]).toDouble()) }
        if (worst > 1e-5) throw AssertionError("'$path' differs by $worst between 1 and 2 workers (rank $rank)")
      }
    }
    // the weights moved, the logit scale too: a wrong gradient would show
    val initial = ClipWorkers.clip().use { it.engine.checkpoint() }
    val moved = reference.values.entries.maxOf { (path, t) -> t.data.indices.maxOf { abs(t.data[it] - initial.values.getValue(path).data[it]).toDouble() } }
    moved shouldBeGreaterThan 1e-2
    val scaleMoved = abs(reference.values.getValue(ClipModel.LOGIT_SCALE).data[0] - initial.values.getValue(ClipModel.LOGIT_SCALE).data[0]).toDouble()
    withClue("the log logit scale moved by $scaleMoved") { scaleMoved shouldBeGreaterThan 1e-3 }
  }
})
