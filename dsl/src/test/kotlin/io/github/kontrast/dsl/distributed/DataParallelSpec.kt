package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.engine.Checkpoint
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import kotlin.math.abs
import org.tensorflow.Graph
import org.tensorflow.GraphOperation
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops

/**
 * Two worker processes on loopback against this JVM as the single worker: the same seeds, global
 * batch and data order must give the same loss at every step and the same weights after 5 steps.
 */
class DataParallelSpec : FunSpec({
  val root = tempdir().toPath()
  val dir by lazy { TwoWorkers.run(root) }

  test("the gather returns every worker's rows in rank order; its gradient is the sum over workers of the upstream gradient at this worker's rows") {
    for (rank in 0..1) {
      val (gathered, grad) = Files.readAllLines(dir.resolve("probe-$rank.txt")).map { line -> line.split(',').map { it.toFloat() } }
      gathered shouldBe (TwoWorkers.probeRows(0) + TwoWorkers.probeRows(1)).toList()
      // L_s = sum(W_s * gathered): dL/dx_r = W_0 + W_1 at rows 2r, 2r + 1, with W_s = (s + 1) * (1 + k), so 3 * (1 + k)
      val expected = (0 until 6).map { 3f * (1 + 6 * rank + it) }
      grad shouldBe expected
    }
  }

  val single = TwoWorkers.StepLosses()
  val reference by lazy {
    TwoWorkers.simclr().use { m ->
      m.fit(TwoWorkers.data(), epochs = 1, batchSize = TwoWorkers.GLOBAL_BATCH, callbacks = listOf(single))
      m.engine.checkpoint()
    }
  }

  /**
   * Worker [rank]'s losses and weights (files [prefix]losses-r.txt, [prefix]weights-r.ktck) equal
   * the single worker's ([expectedLosses], [expected]).
   */
  fun sameAsSingle(prefix: String, rank: Int, expectedLosses: List<Double> = single.losses, expected: Checkpoint = reference) {
    val losses = Files.readString(dir.resolve("${prefix}losses-$rank.txt")).split(',').map { it.toDouble() }
    losses.size shouldBe 5
    losses.zip(expectedLosses).forEachIndexed { step, (a, b) ->
      if (abs(a - b) >= 1e-5 * maxOf(1.0, abs(b))) throw AssertionError("step $step: loss $a on 2 workers (rank $rank, $prefix), $b on 1")
    }
    val weights = Checkpoint.read(dir.resolve("${prefix}weights-$rank.ktck"))
    weights.step shouldBe 5L
    WorkerJvms.assertSameVariables("1 against 2 workers (rank $rank, ${prefix}weights)", expected, weights)
  }

  test("SimCLR on 2 workers gives the single worker's loss at every step and its weights after 5 steps") {
    reference
    single.losses.size shouldBe 5
    for (rank in 0..1) {
      sameAsSingle("", rank)
      // the History of a worker counts the group's examples per step, so its throughput is the group's
      Files.readString(dir.resolve("sizes-$rank.txt")) shouldBe List(5) { TwoWorkers.GLOBAL_BATCH }.joinToString(",")
    }
    // the weights moved: a wrong gradient would show
    val initial = TwoWorkers.simclr().use { it.engine.checkpoint() }
    val moved = reference.values.entries.maxOf { (path, t) -> t.data.indices.maxOf { abs(t.data[it] - initial.values.getValue(path).data[it]).toDouble() } }
    moved shouldBeGreaterThan 1e-2
  }

  test("the gathered NT-Xent in row blocks (8 local views against 16, blocks of 3) gives the single worker's full-matrix losses and weights") {
    reference
    for (rank in 0..1) {
      Files.readString(dir.resolve("chunked-plan-$rank.txt")) shouldBe "chunked, ${TwoWorkers.CHUNK_ROWS}-row blocks (set) 8x16"
      sameAsSingle("chunked-", rank)
    }
  }

  test("SwAV on 2 workers (Sinkhorn over the global batch) gives the single worker's losses and weights") {
    val swavLosses = TwoWorkers.StepLosses()
    val swavReference = TwoWorkers.swav().use { m ->
      m.fit(TwoWorkers.data(), epochs = 1, batchSize = TwoWorkers.GLOBAL_BATCH, callbacks = listOf(swavLosses))
      m.engine.checkpoint()
    }
    for (rank in 0..1) sameAsSingle("swav-", rank, swavLosses.losses, swavReference)
  }

  test("every collective asks for NCCL, which TensorFlow takes on GPUs only: the runs above, on CPUs, took its ring") {
    Graph().use { g ->
      val tf = Ops.create(g)
      val c = Collectives(g, 2, 0)
      val x = tf.constant(Shape.of(2, 3), DataBuffers.of(FloatArray(6) { it.toFloat() }, true, false))
      val loss = tf.reduceSum(c.gather(tf, x), tf.constant(intArrayOf(0, 1)))
      tf.gradients(loss, listOf(x))
      c.allReduce(tf, loss)
      val collectives = g.operations().asSequence().filter { it.type().startsWith("Collective") }.toList()
      // the gather, the reduce, and the reduce inside the gather's gradient
      collectives.map { it.type() }.sorted() shouldBe listOf("CollectiveGatherV2", "CollectiveReduceV2", "CollectiveReduceV2")
      collectives.forEach { (it as GraphOperation).attributes().getAttrString("communication_hint") shouldBe "nccl" }
    }
  }
})
