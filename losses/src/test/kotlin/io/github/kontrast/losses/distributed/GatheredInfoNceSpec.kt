package io.github.kontrast.losses.distributed

import io.github.kontrast.losses.DArr
import io.github.kontrast.losses.InfoNceLoss
import io.github.kontrast.losses.SoftmaxRefs
import io.github.kontrast.losses.Tf
import io.github.kontrast.losses.isNear
import io.github.kontrast.losses.randomMat
import io.github.kontrast.losses.reducers.Reduction
import io.github.kontrast.losses.shouldMatch
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import kotlin.math.abs

/**
 * In-batch InfoNCE gathered over simulated workers ([SimulatedGroup]): the mean of the workers'
 * losses and its gradient (queries and keys) are the one-worker loss of the global batch and its
 * gradient, checked against [InfoNceLoss] and against finite differences of the plain-double
 * definition, in the full form and in row blocks.
 */
class GatheredInfoNceSpec : FunSpec({
  val rnd = kotlin.random.Random(17)
  val t = 0.2
  // global batch 6: 2 workers of 3 or 3 of 2
  val q = randomMat(rnd, 6, 4)
  val k = randomMat(rnd, 6, 4)
  val base = InfoNceLoss.create().withTemperature(t.toFloat())

  fun workersMean(loss: InfoNceLoss, workers: Int, cut: Boolean = false): (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (a, b) ->
    SimulatedGroup(workers, othersWithoutGradient = cut).mean(tf) { g ->
      GatheredInfoNce(loss).call(tf, SimulatedGather.slice(tf, a, workers, g.rank()), SimulatedGather.slice(tf, b, workers, g.rank()), g)
    }
  }

  val reference = { (a, b): List<DArr> -> SoftmaxRefs.inBatch(a, b, t, true).average() }

  for (workers in listOf(2, 3)) {
    for (chunk in listOf(0, 1, 2, 5)) {
      test("$workers workers, chunkRows $chunk: the workers' mean and its gradient are the global batch's (finite differences of the definition)") {
        Tf.checkGradients(listOf(q, k), reference = reference, build = workersMean(base.withChunkRows(chunk), workers))
      }
    }
  }

  test("the gathered gradients equal InfoNceLoss's on the global batch; a gather without gradient to the others' keys is caught") {
    val single = Tf.gradients(listOf(q, k)) { tf, (a, b) -> base.call(tf, a, b) }
    for (chunk in listOf(0, 2)) {
      val gathered = Tf.gradients(listOf(q, k), build = workersMean(base.withChunkRows(chunk), 2))
      gathered.indices.forEach { i -> gathered[i].shouldMatch(single[i].map { it.toDouble() }, "chunkRows $chunk gradient of input $i", 1e-4, 1e-6) }
      val cut = Tf.gradients(listOf(q, k), build = workersMean(base.withChunkRows(chunk), 2, cut = true))
      // the keys lose the pull of the other workers' queries
      val worst = single[1].indices.maxOf { abs(single[1][it] - cut[1][it]).toDouble() }
      withClue("chunkRows $chunk: largest key-gradient difference $worst") { (worst > 1e-2) shouldBe true }
    }
  }

  test("SUM: the workers' mean is the global batch's sum") {
    for (chunk in listOf(0, 4)) {
      val value = Tf.graphLoss(listOf(q, k), workersMean(base.withReduction(Reduction.SUM).withChunkRows(chunk), 3))
      val expected = SoftmaxRefs.inBatch(q, k, t, true).sum()
      withClue("chunkRows $chunk: $value vs $expected") { value.isNear(expected, 1e-5, 1e-5) shouldBe true }
    }
  }

  test("bad arguments are named") {
    shouldThrow<IllegalArgumentException> { GatheredInfoNce(base.withReduction(Reduction.NONE)) }
      .message.let { it shouldContain "loss: the gathered InfoNCE loss needs reduction MEAN or SUM"; it shouldContain "got NONE" }
    Tf.graph { tf ->
      val g = SimulatedGroup.repeating(2, 0)
      shouldThrow<IllegalArgumentException> { GatheredInfoNce(base).call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5), g) }
        .message.let { it shouldContain "positiveKey"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> { GatheredInfoNce(base.withChunkRows(2)).call(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), g) }
        .message.let { it shouldContain "chunkRows = 2"; it shouldContain "'query' has shape [-1, 4]" }
      shouldThrow<IllegalArgumentException> { GatheredInfoNce(base).call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), null) }
        .message shouldContain "gather"
    }
  }
})
