package io.github.kontrast.losses.distributed

import io.github.kontrast.losses.NtXentLoss
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
 * The gathered NT-Xent of S simulated workers ([SimulatedGather]) against NT-Xent on the global
 * batch: the mean of the workers' losses is the global loss, and its gradient is the global
 * gradient, in the full form and in row blocks. The reference is the plain-double definition.
 */
class GatheredNtXentSpec : FunSpec({
  val rnd = kotlin.random.Random(12)
  // global batch 6: 3 workers of 2 examples, or 2 workers of 3
  val z1 = randomMat(rnd, 6, 4)
  val z2 = randomMat(rnd, 6, 4)
  val t = 0.3

  /** The mean over [workers] of each worker's gathered loss, every worker built in one graph. */
  fun workersMean(loss: NtXentLoss, workers: Int, detached: Boolean = false): (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (a, b) ->
    val locals = (0 until workers).map { w -> SimulatedGather.slice(tf, a, workers, w) to SimulatedGather.slice(tf, b, workers, w) }
    val blocks = locals.map { (x, y) -> tf.concat(listOf(x, y), tf.constant(0)) }
    val values = locals.mapIndexed { w, (x, y) -> GatheredNtXent(loss).call(tf, x, y, SimulatedGather(workers, w, blocks, detached)) }
    tf.math.div(tf.math.addN(values), tf.constant(workers.toFloat()))
  }

  val reference = { inputs: List<io.github.kontrast.losses.DArr> -> SoftmaxRefs.ntXent(inputs[0], inputs[1], t).average() }
  val base = NtXentLoss.create().withTemperature(t.toFloat())

  for (workers in listOf(2, 3)) {
    for (chunk in listOf(0, 1, 2, 5)) {
      test("$workers workers, chunkRows $chunk: the workers' mean loss and its gradient are the global batch's (finite differences of the definition)") {
        Tf.checkGradients(listOf(z1, z2), reference = reference, build = workersMean(base.withChunkRows(chunk), workers))
      }
    }
  }

  test("the gathered gradient equals one worker's NT-Xent gradient on the global batch, to float rounding") {
    val single = Tf.gradients(listOf(z1, z2)) { tf, (a, b) -> base.call(tf, a, b) }
    for (chunk in listOf(0, 3)) {
      val gathered = Tf.gradients(listOf(z1, z2), build = workersMean(base.withChunkRows(chunk), 2))
      gathered.indices.forEach { i -> gathered[i].shouldMatch(single[i].map { it.toDouble() }, "chunkRows $chunk gradient of input $i", 1e-4, 1e-6) }
    }
  }

  test("a gather whose copies of other workers' rows carry no gradient gives a different gradient: the checks above catch it") {
    val right = Tf.gradients(listOf(z1, z2), build = workersMean(base, 2))
    for (chunk in listOf(0, 3)) {
      val wrong = Tf.gradients(listOf(z1, z2), build = workersMean(base.withChunkRows(chunk), 2, detached = true))
      val worst = right.indices.maxOf { i -> right[i].indices.maxOf { abs(right[i][it] - wrong[i][it]).toDouble() } }
      withClue("chunkRows $chunk: largest difference $worst") { (worst > 1e-2) shouldBe true }
    }
  }

  test("SUM: the workers' mean is the global batch's sum") {
    val sum = base.withReduction(Reduction.SUM)
    for (chunk in listOf(0, 2)) {
      val value = Tf.graphLoss(listOf(z1, z2), workersMean(sum.withChunkRows(chunk), 3))
      val expected = SoftmaxRefs.ntXent(z1, z2, t).sum()
      withClue("chunkRows $chunk: $value vs $expected") { value.isNear(expected, 1e-5, 1e-5) shouldBe true }
    }
  }

  test("bad arguments are named: NONE, mismatched views, chunking without a static batch size") {
    shouldThrow<IllegalArgumentException> { GatheredNtXent(base.withReduction(Reduction.NONE)) }.message.let { it shouldContain "loss: the gathered NT-Xent needs reduction MEAN or SUM"; it shouldContain "got NONE" }
    Tf.graph { tf ->
      val gather = SimulatedGather(2, 0, emptyList())
      shouldThrow<IllegalArgumentException> {
        GatheredNtXent(base).call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5), gather)
      }.message shouldContain "z2"
      shouldThrow<IllegalArgumentException> {
        GatheredNtXent(base.withChunkRows(2)).call(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), gather)
      }.message shouldContain "'z1' has shape [-1, 4]"
    }
  }
})
