package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * The row-block form against the full form and against the plain-double references: same value,
 * same gradients (float tolerance), gradients equal to finite differences, and a graph in which
 * no tensor is as large as the full similarity matrix.
 */
class ChunkedContrastiveSpec : FunSpec({
  // 7 rows in blocks of 3: two full blocks and a short last one
  val rnd = kotlin.random.Random(41)
  val a = randomMat(rnd, 7, 5)
  val b = randomMat(rnd, 7, 5)
  val labels = intArrayOf(0, 1, 0, 2, 1, 0, 3) // anchor 6 has no positive: contributes 0
  val logScale = scalar(2.3f)

  /** The full and the chunked builds of one loss on the same inputs. */
  data class Case(
    val name: String,
    val inputs: List<Arr>,
    val reference: (List<DArr>) -> Double,
    val build: (Int) -> (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  )

  val cases = listOf(
    Case("NT-Xent", listOf(a, b), { (x, y) -> SoftmaxRefs.ntXent(x, y, 0.5).average() }) { rows ->
      { tf, (x, y) -> NtXentLoss.create().withChunkRows(rows).call(tf, x, y) }
    },
    Case("InfoNCE in-batch", listOf(a, b), { (x, y) -> SoftmaxRefs.inBatch(x, y, 0.2, true).average() }) { rows ->
      { tf, (x, y) -> InfoNceLoss.create().withTemperature(0.2f).withChunkRows(rows).call(tf, x, y) }
    },
    Case("CLIP", listOf(a, b, logScale), { (x, y, s) -> SoftmaxRefs.clip(x, y, s.data[0]).average() }) { rows ->
      { tf, (x, y, s) -> ClipLoss.create().withChunkRows(rows).call(tf, x, y, s) }
    },
    Case("SupCon", listOf(a), { (x) -> SoftmaxRefs.supCon(x, labels, 0.1).average() }) { rows ->
      { tf, (x) ->
        // the labels repeat for the larger batches of the memory test
        val n = x.shape().size(0).toInt()
        SupConLoss.create().withTemperature(0.1f).withChunkRows(rows).call(tf, x, tf.constant(IntArray(n) { labels[it % labels.size] }))
      }
    },
  )

  for (case in cases) {
    test("${case.name}: chunked value and gradients equal the full form's, for several block sizes") {
      val full = Tf.GraphCheck(case.inputs, case.inputs.indices.toList(), case.build(0)).use { it.loss() to it.gradients() }
      for (rows in listOf(1, 3, 7, 100)) {
        Tf.GraphCheck(case.inputs, case.inputs.indices.toList(), case.build(rows)).use { g ->
          withClue("chunkRows $rows: value") { g.loss().isNear(full.first.toDouble(), 1e-5, 1e-6) shouldBe true }
          g.gradients().forEachIndexed { i, grad ->
            grad.shouldMatch(full.second[i].map { it.toDouble() }, "chunkRows $rows gradient of input $i", 1e-4, 1e-6)
          }
        }
        val eager = Tf.eagerOn(case.inputs, case.build(rows))
        eager.shouldMatch(listOf(full.first.toDouble()), "chunkRows $rows eager value")
      }
    }

    test("${case.name}: chunked gradients match finite differences of the plain-double reference") {
      Tf.checkGradients(case.inputs, reference = case.reference, build = case.build(3))
    }

    test("${case.name}: no tensor in the chunked graph is as large as the similarity matrix") {
      // N = 64 rows in blocks of 8: the largest tensor anywhere (forward and the gradients built
      // with it) is a block, [8,64], far below the [64,64] matrix
      val n = 64L
      val big = case.inputs.map { if (it.shape.isEmpty()) it.shape else longArrayOf(n, 5) }
      val largest = Graph().use { g ->
        val tf = Ops.create(g)
        val placeholders = big.map { Tf.placeholder(tf, *it) }
        val loss = case.build(8)(tf, placeholders)
        tf.gradients(loss, placeholders)
        largestOutput(g)
      }
      withClue("largest static tensor: $largest elements") { (largest <= 8 * n * 2) shouldBe true }
      val fullLargest = Graph().use { g ->
        val tf = Ops.create(g)
        case.build(0)(tf, big.map { Tf.placeholder(tf, *it) })
        largestOutput(g)
      }
      withClue("the full form holds the whole matrix: $fullLargest elements") { (fullLargest >= n * n) shouldBe true }
    }
  }

  test("SUM is MEAN times the number of anchors; a distance other than cosine works too") {
    val mean = Tf.graphLoss(listOf(a, b)) { tf, (x, y) ->
      NtXentLoss.create().withDistance(Distances.squaredEuclidean()).withChunkRows(2).call(tf, x, y)
    }
    val sum = Tf.graphLoss(listOf(a, b)) { tf, (x, y) ->
      NtXentLoss.create().withDistance(Distances.squaredEuclidean()).withReduction(Reduction.SUM).withChunkRows(2).call(tf, x, y)
    }
    val expected = SoftmaxRefs.ntXent(a, b, 0.5, SoftmaxRefs.Sim.negSquaredEuclidean)
    (mean near expected.average()) shouldBe true
    sum.isNear(expected.sum(), 1e-5) shouldBe true
  }

  test("gradients reach weights upstream of the embeddings as in the full form") {
    // the embeddings come from a linear map x W: the optimizer's gradient w.r.t. W passes the
    // stop-gradient identity of the chunked loss
    val w = randomMat(rnd, 5, 4)
    fun build(rows: Int): (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (x, y, weights) ->
      NtXentLoss.create().withChunkRows(rows).call(tf, tf.linalg.matMul(x, weights), tf.linalg.matMul(y, weights))
    }
    val full = Tf.gradients(listOf(a, b, w), listOf(2), build(0))[0]
    val chunked = Tf.gradients(listOf(a, b, w), listOf(2), build(3))[0]
    chunked.shouldMatch(full.map { it.toDouble() }, "dL/dW", 1e-4, 1e-6)
  }

  test("bad options and inputs fail at build time, naming the argument") {
    shouldThrow<IllegalArgumentException> { NtXentLoss.create().withChunkRows(-1) }.message shouldContain "chunkRows must be >= 0"
    shouldThrow<IllegalArgumentException> { InfoNceLoss.create().withReduction(Reduction.NONE).withChunkRows(16) }
      .message shouldContain "needs reduction MEAN or SUM"
    shouldThrow<IllegalArgumentException> { ClipLoss.create().withChunkRows(16).withReduction(Reduction.NONE) }
      .message shouldContain "got NONE"
    val e = shouldThrow<IllegalArgumentException> {
      Tf.graph { tf -> SupConLoss.create().withChunkRows(16).call(tf, Tf.placeholder(tf, -1, 8), tf.constant(intArrayOf(0))) }
    }
    e.message shouldContain "needs a static batch size"
    e.message shouldContain "'features'"
    shouldThrow<IllegalArgumentException> {
      Tf.graph { tf -> ClipLoss.create().withChunkRows(4).call(tf, Tf.placeholder(tf, -1, 8), Tf.placeholder(tf, -1, 8), tf.constant(1f)) }
    }.message shouldContain "'imageFeatures'"
  }
})

/** The element count of the largest operation output with a fully known static shape in [g]. */
private fun largestOutput(g: Graph): Long {
  var largest = 0L
  g.operations().forEachRemaining { op ->
    for (i in 0 until op.numOutputs()) {
      val shape = op.output<TFloat32>(i).shape()
      if (!shape.isUnknown && (0 until shape.numDimensions()).all { shape.size(it) >= 0 }) {
        largest = maxOf(largest, shape.size())
      }
    }
  }
  return largest
}
