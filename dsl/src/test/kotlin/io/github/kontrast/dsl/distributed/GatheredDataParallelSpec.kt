package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.engine.Checkpoint
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import kotlin.math.abs

/**
 * MoCo v3 (without and with a key queue) and SupCon on two worker processes against this JVM as
 * the single worker ([GatheredWorkers]): with the gathered negatives, the same seeds, global batch
 * and data order give the same loss at every step and the same variables after 5 steps, the
 * momentum branch and the queue included. Local negatives only would give other losses from the
 * first step.
 */
class GatheredDataParallelSpec : FunSpec({
  val root = tempdir().toPath()
  val dir by lazy { GatheredWorkers.run(root) }

  for ((name, factory) in GatheredWorkers.runs) {
    test("$name on 2 workers gives the single worker's loss at every step and its variables after 5 steps") {
      val single = TwoWorkers.StepLosses()
      val reference = factory().use { m ->
        m.fit(TwoWorkers.data(), epochs = 1, batchSize = TwoWorkers.GLOBAL_BATCH, callbacks = listOf(single))
        m.engine.checkpoint()
      }
      single.losses.size shouldBe 5
      for (rank in 0..1) {
        val losses = Files.readString(dir.resolve("losses-$name-$rank.txt")).split(',').map { it.toDouble() }
        withClue("$name, rank $rank: losses $losses, single worker ${single.losses}") {
          losses.size shouldBe 5
          losses.zip(single.losses).forEach { (a, b) -> abs(a - b) shouldBeLessThan 1e-5 * maxOf(1.0, abs(b)) }
        }
        val weights = Checkpoint.read(dir.resolve("weights-$name-$rank.ktck"))
        weights.step shouldBe 5L
        WorkerJvms.assertSameVariables("$name, 1 and 2 workers (rank $rank)", reference, weights)
      }
      // the weights moved: a wrong gradient would show
      val initial = factory().use { it.engine.checkpoint() }
      val moved = reference.values.entries.maxOf { (path, t) -> t.data.indices.maxOf { abs(t.data[it] - initial.values.getValue(path).data[it]).toDouble() } }
      moved shouldBeGreaterThan 1e-2
    }
  }
})
