package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Graph
import org.tensorflow.GraphOperation
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
    // the block loops themselves: a chunkRows below 1 would never advance
    for (bad in listOf(-1, 0)) {
      shouldThrow<IllegalArgumentException> {
        Tf.graph { tf -> ChunkedContrastive.sum(tf, bad, listOf(), listOf(ChunkedContrastive.Pass("x", tf.constant(Array(2) { FloatArray(2) }), squares))) }
      }.message.let { it shouldContain "chunkRows must be >= 1"; it shouldContain "got $bad" }
      shouldThrow<IllegalArgumentException> {
        Tf.graph { tf -> ChunkedContrastive.columnLogSumExp(tf, bad, "x", tf.constant(Array(2) { FloatArray(2) })) { _, rows -> rows } }
      }.message.let { it shouldContain "chunkRows must be >= 1"; it shouldContain "got $bad" }
    }
    // an accepted option comes back unchanged
    ChunkedContrastive.checkOption(3, Reduction.SUM) shouldBe 3
    ChunkedContrastive.checkOption(0, Reduction.NONE) shouldBe 0
  }

  test("columnLogSumExp equals a double log-sum-exp per column, with column maxima that rise and fall across blocks") {
    // column 0's maximum comes first and the later rows sit 100 to 400 below it (a block that reset
    // the running maximum to its own would scale the earlier sum by exp(100+): float overflow);
    // column 1's maximum comes last (the earlier sum must be rescaled down); column 2 is flat
    val x = mat(
      f(200.0, -5.0, 0.25), f(100.0, 3.0, 0.5), f(-200.0, 2.5, 0.125),
      f(99.5, -40.0, 0.75), f(-150.0, 90.0, 0.5), f(0.0, 89.0, 0.25),
    )
    val expected = (0 until 3).map { j ->
      val col = DoubleArray(6) { x.row(it)[j] }
      val m = col.max()
      m + kotlin.math.ln(col.sumOf { kotlin.math.exp(it - m) })
    }
    for (rows in listOf(1, 2, 4, 5, 6, 9)) {
      val build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (a) ->
        ChunkedContrastive.columnLogSumExp(tf, rows, "x", a) { _, block -> block }
      }
      Tf.eagerOn(listOf(x), build).shouldMatch(expected, "chunkRows $rows, eager")
      Tf.GraphCheck(listOf(x), listOf(), build).use { g ->
        // the graph check sums the columns
        withClue("chunkRows $rows, graph") { g.loss().isNear(expected.sum()) shouldBe true }
      }
    }
  }

  test("CLIP at the largest logit scale: the running column maximum keeps the chunked value finite and right") {
    // logits 100 * cos: column 0 is 100 in row 0 and 0 or -99.5 below it, so a later block's own
    // maximum is 100 or more under the running one
    val img = mat(f(1, 0, 0), f(0, 1, 0), f(0, 0, 1), f(-1, 0.1, 0))
    val txt = mat(f(1, 0, 0), f(0, 1, 0.2), f(0.3, 0, 1), f(0, 0.5, 1))
    val s = scalar(5f) // exp(5) = 148, clamped to 100
    val expected = SoftmaxRefs.clip(img, txt, 5.0).average()
    val build: (Int) -> (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { rows ->
      { tf, (x, y, l) -> ClipLoss.create().withChunkRows(rows).call(tf, x, y, l) }
    }
    val full = Tf.GraphCheck(listOf(img, txt, s), listOf(0, 1), build(0)).use { it.loss() to it.gradients() }
    withClue("full form ${full.first}, reference $expected") { full.first.isNear(expected) shouldBe true }
    for (rows in listOf(1, 2, 3)) {
      Tf.GraphCheck(listOf(img, txt, s), listOf(0, 1), build(rows)).use { g ->
        withClue("chunkRows $rows: value ${g.loss()}, reference $expected") { g.loss().isNear(expected) shouldBe true }
        g.gradients().forEachIndexed { i, grad ->
          grad.shouldMatch(full.second[i].map { it.toDouble() }, "chunkRows $rows gradient of input $i", 1e-4, 1e-5)
        }
      }
    }
  }

  test("each block waits for the previous one: every block after the first starts behind a control dependency") {
    // the per-block functions see the block's slice of the anchors: that op carries the block's
    // control inputs; without them TF may run the blocks side by side and hold them all at once
    Graph().use { g ->
      val tf = Ops.create(g)
      val p = Tf.placeholder(tf, 7, 3)
      val q = Tf.placeholder(tf, 7, 3)
      val sumBlocks = mutableListOf<Operand<TFloat32>>()
      // every block reads both inputs (tf.gradients refuses an input that a block does not reach)
      val record = ChunkedContrastive.Rows { t, anchors, indices ->
        sumBlocks += anchors
        t.math.add(squares.perAnchor(t, anchors, indices), t.math.add(total(t, p), total(t, q)))
      }
      ChunkedContrastive.sum(tf, 3, listOf(p, q), listOf(ChunkedContrastive.Pass("p", p, record), ChunkedContrastive.Pass("q", q, record)))
      val lseBlocks = mutableListOf<Operand<TFloat32>>()
      ChunkedContrastive.columnLogSumExp(tf, 3, "p", p) { _, block -> lseBlocks += block; block }
      withClue("blocks seen: sum ${sumBlocks.size} (two passes of 3), columnLogSumExp ${lseBlocks.size}") {
        sumBlocks.size shouldBe 6
        lseBlocks.size shouldBe 3
      }
      for ((what, blocks) in listOf("sum" to sumBlocks, "columnLogSumExp" to lseBlocks)) {
        blocks.forEachIndexed { k, b ->
          val n = (b.op() as GraphOperation).numControlInputs()
          withClue("$what block $k: $n control inputs") { (n > 0) shouldBe (k > 0) }
        }
      }
    }
  }

  test("the backward pass an optimizer builds on a chunked loss does not grow with the number of blocks") {
    // the gradient comes from the block gradients through the stop-gradient identity: tf.gradients
    // over the loss adds the same few ops for 2 blocks as for 8; a loss that returned the plain sum
    // of the blocks would be differentiated through every block (and keep every block alive)
    fun backwardOps(n: Long): Int = Graph().use { g ->
      val tf = Ops.create(g)
      val x = Tf.placeholder(tf, n, 5)
      val y = Tf.placeholder(tf, n, 5)
      val loss = NtXentLoss.create().withChunkRows(4).call(tf, x, y)
      val before = countOps(g)
      tf.gradients(loss, listOf(x, y))
      countOps(g) - before
    }
    val small = backwardOps(8)
    val large = backwardOps(32)
    withClue("ops added by tf.gradients: $small for 2 blocks a pass, $large for 8") { large shouldBe small }
  }

  test("sum: an input that some blocks (or all) read only as a fixed target gets only the other blocks' gradients") {
    // pass 1's rows: sum of squares of x plus the sums of y and u as fixed targets (no gradient,
    // as MoCo's keys); pass 2's rows: 3 * the row sum of y plus the sums of x and u, fixed too. So
    // x's gradient is 2x (pass 1 only), y's 3 (pass 2 only), and u, never read but as a fixed target, stays
    // out of the result's gradient.
    val x = randomMat(rnd, 5, 2)
    val y = randomMat(rnd, 3, 2)
    val u = randomMat(rnd, 2, 2)
    val build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (a, b, c) ->
      val first = ChunkedContrastive.Rows { t, anchors, i ->
        t.math.add(squares.perAnchor(t, anchors, i), t.math.add(total(t, t.stopGradient(b)), total(t, t.stopGradient(c))))
      }
      val second = ChunkedContrastive.Rows { t, anchors, _ ->
        t.math.add(t.math.mul(t.constant(3f), t.reduceSum(anchors, t.constant(1))), t.math.add(total(t, t.stopGradient(a)), total(t, t.stopGradient(c))))
      }
      ChunkedContrastive.sum(tf, 2, listOf(a, b, c), listOf(ChunkedContrastive.Pass("x", a, first), ChunkedContrastive.Pass("y", b, second)))
    }
    val sumY = y.data.sumOf { it.toDouble() }
    val expected = x.data.sumOf { it.toDouble() * it } + 3 * x.data.sumOf { it.toDouble() } + 5 * sumY + 3 * sumY + (5 + 3) * u.data.sumOf { it.toDouble() }
    Tf.GraphCheck(listOf(x, y, u), listOf(0, 1), build).use { g ->
      withClue("value ${g.loss()}, expected $expected") { g.loss().isNear(expected) shouldBe true }
      val (gx, gy) = g.gradients()
      gx.shouldMatch(x.data.map { 2.0 * it }, "d/dx")
      gy.shouldMatch(List(6) { 3.0 }, "d/dy")
    }
    Tf.connected(listOf(x, y, u), listOf(2), build) shouldBe listOf(false)
    Tf.eagerOn(listOf(x, y, u), build).shouldMatch(listOf(expected), "eager value")
    // nothing to differentiate at all (constants only): the value alone
    Tf.GraphCheck(listOf(x), listOf(), { tf, _ ->
      ChunkedContrastive.sum(tf, 2, listOf(), listOf(ChunkedContrastive.Pass("x", Tf.constant(tf, x), squares)))
    }).use { g -> withClue("constants only: ${g.loss()}") { g.loss().isNear(x.data.sumOf { it.toDouble() * it }) shouldBe true } }
  }

  test("sum: an input that a pass does not read at all gets only the other pass's gradients; no anchors at all is refused") {
    // pass 1 reads only x (sum of squares), pass 2 only y (3 * row sums): neither block reaches
    // the other input, which tf.gradients would refuse if asked for it
    val x = randomMat(rnd, 5, 2)
    val y = randomMat(rnd, 3, 2)
    val build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32> = { tf, (a, b) ->
      val second = ChunkedContrastive.Rows { t, anchors, _ -> t.math.mul(t.constant(3f), t.reduceSum(anchors, t.constant(1))) }
      ChunkedContrastive.sum(tf, 2, listOf(a, b), listOf(ChunkedContrastive.Pass("x", a, squares), ChunkedContrastive.Pass("y", b, second)))
    }
    val expected = x.data.sumOf { it.toDouble() * it } + 3 * y.data.sumOf { it.toDouble() }
    Tf.GraphCheck(listOf(x, y), listOf(0, 1), build).use { g ->
      withClue("value ${g.loss()}, expected $expected") { g.loss().isNear(expected) shouldBe true }
      val (gx, gy) = g.gradients()
      gx.shouldMatch(x.data.map { 2.0 * it }, "d/dx")
      gy.shouldMatch(List(6) { 3.0 }, "d/dy")
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        ChunkedContrastive.sum(tf, 2, listOf(), listOf(ChunkedContrastive.Pass("features", Tf.placeholder(tf, 0, 2), squares)))
      }.message.let { it shouldContain "chunkRows = 2"; it shouldContain "0 rows"; it shouldContain "features" }
    }
  }
})

/** Per-anchor sum of squares: a per-anchor function whose gradient is known by hand (2x). */
private val squares = ChunkedContrastive.Rows { t, anchors, _ -> t.reduceSum(t.math.square(anchors), t.constant(1)) }

/** The sum of every element of [x], a scalar. */
private fun total(t: Ops, x: Operand<TFloat32>): Operand<TFloat32> = t.reduceSum(x, t.constant(intArrayOf(0, 1)))

/** The number of operations in [g]. */
private fun countOps(g: Graph): Int {
  var n = 0
  g.operations().forEachRemaining { n++ }
  return n
}

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
