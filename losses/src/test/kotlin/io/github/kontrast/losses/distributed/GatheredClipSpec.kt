package io.github.kontrast.losses.distributed

import io.github.kontrast.losses.Arr
import io.github.kontrast.losses.ClipLoss
import io.github.kontrast.losses.Host
import io.github.kontrast.losses.Ref
import io.github.kontrast.losses.SoftmaxRefs
import io.github.kontrast.losses.Tf
import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.randomMat
import io.github.kontrast.losses.reducers.Reduction
import io.github.kontrast.losses.scalar
import io.github.kontrast.losses.shouldMatch
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.min

/**
 * S workers simulated in one graph, no processes: worker r's rows are block r of global [B, D]
 * image and text tensors, and its gather returns every block in rank order, built from the same
 * global tensors, so a gradient reaches every worker's rows. The gradient of the mean over workers
 * with respect to the global tensors is then what data-parallel training applies: each worker
 * differentiates its value, the gather's gradient sums the upstream over workers into the owner's
 * rows, and the all-reduce averages the workers' gradients.
 */
class GatheredClipSpec : FunSpec({
  /**
   * [size] workers on global [B, D] features [images] and [texts]: worker r's rows are block r
   * ([SimulatedGather.slice]), its gathers return every worker's blocks ([SimulatedGroup]); with
   * [cutOthers], the other workers' rows carry no gradient (lightly's bug).
   */
  class Group(private val tf: Ops, private val images: Operand<TFloat32>, private val texts: Operand<TFloat32>, val size: Int, private val cutOthers: Boolean = false) {
    private fun worker(loss: GatheredClip, logScale: Operand<TFloat32>): (AllGather) -> Operand<TFloat32> = { g ->
      loss.call(tf, SimulatedGather.slice(tf, images, size, g.rank()), SimulatedGather.slice(tf, texts, size, g.rank()), logScale, g)
    }

    /** Every worker's value of [loss], [size] of them. */
    fun values(loss: GatheredClip, logScale: Operand<TFloat32>): List<Operand<TFloat32>> =
      SimulatedGroup(size, cutOthers).build(tf, worker(loss, logScale))

    /** The mean of the workers' values: what the workers report and what their averaged gradients descend. */
    fun mean(loss: GatheredClip, logScale: Operand<TFloat32>): Operand<TFloat32> =
      SimulatedGroup(size, cutOthers).mean(tf, worker(loss, logScale))
  }

  /**
   * The global batch's per-pair CLIP losses from the definition, in double: L = s * sim(image i,
   * text j), s = min(exp(logScale), maxScale); pair i's loss is the mean of row i's cross-entropy at
   * column i (image to text) and column i's at row i (text to image).
   */
  fun perPair(img: Host, txt: Host, logScale: Double, maxScale: Double = 100.0, sim: (DoubleArray, DoubleArray) -> Double = Ref::cos): DoubleArray {
    val s = min(exp(logScale), maxScale)
    val n = img.rows
    val logits = Array(n) { i -> DoubleArray(n) { j -> s * sim(img.row(i), txt.row(j)) } }
    return DoubleArray(n) { i -> 0.5 * (Ref.crossEntropy(logits[i], i) + Ref.crossEntropy(DoubleArray(n) { k -> logits[k][i] }, i)) }
  }

  val rnd = kotlin.random.Random(12)
  val initial = ClipLoss.INITIAL_LOG_LOGIT_SCALE

  /** (workers, rows per worker): a single row per worker and uneven products included. */
  val groups = listOf(2 to 3, 3 to 4, 4 to 1)

  test("each worker's value is the mean of the global batch's per-pair losses at its rows; their mean is the one-worker loss (ClipLoss and the double reference)") {
    for ((size, b) in groups) for ((distance, sim) in listOf(Distances.cosine() to Ref::cos, Distances.dot() to Ref::dot)) {
      val img = randomMat(rnd, size * b, 5)
      val txt = randomMat(rnd, size * b, 5)
      val loss = ClipLoss.create().withDistance(distance)
      val pairs = perPair(img, txt, initial.toDouble(), sim = sim)
      withClue("$size workers x $b rows, $distance") {
        val workers = Tf.eagerOn(listOf(img, txt, scalar(initial))) { tf, (x, y, s) -> tf.stack(Group(tf, x, y, size).values(GatheredClip(loss), s)) }
        workers.shouldMatch(DoubleArray(size) { r -> (0 until b).sumOf { pairs[r * b + it] } / b }, "worker values")
        val mean = Tf.eagerOn(listOf(img, txt, scalar(initial))) { tf, (x, y, s) -> Group(tf, x, y, size).mean(GatheredClip(loss), s) }
        val single = Tf.eagerOn(listOf(img, txt, scalar(initial))) { tf, (x, y, s) -> loss.call(tf, x, y, s) }
        mean.shouldMatch(single.map { it.toDouble() }, "mean over workers against ClipLoss")
        mean.shouldMatch(doubleArrayOf(pairs.average()), "mean over workers against the reference")
      }
    }
  }

  test("SUM: each worker returns size times its pairs' sum, so the workers' mean is the global sum") {
    val (size, b) = 3 to 2
    val img = randomMat(rnd, size * b, 4)
    val txt = randomMat(rnd, size * b, 4)
    val loss = ClipLoss.create().withReduction(Reduction.SUM)
    val pairs = perPair(img, txt, 1.5)
    val workers = Tf.eagerOn(listOf(img, txt, scalar(1.5f))) { tf, (x, y, s) -> tf.stack(Group(tf, x, y, size).values(GatheredClip(loss), s)) }
    workers.shouldMatch(DoubleArray(size) { r -> size * (0 until b).sumOf { pairs[r * b + it] } }, "worker values")
    val single = Tf.eagerOn(listOf(img, txt, scalar(1.5f))) { tf, (x, y, s) -> loss.call(tf, x, y, s) }
    doubleArrayOf(workers.average()).let { floatArrayOf(it[0].toFloat()).shouldMatch(single.map { v -> v.toDouble() }, "mean over workers against ClipLoss") }
    single.shouldMatch(doubleArrayOf(pairs.sum()), "ClipLoss SUM against the reference")
  }

  /** Gradients of the workers' mean and of ClipLoss on the global batch, with respect to images, texts and the log scale. */
  fun gradients(img: Arr, txt: Arr, logScale: Float, size: Int, loss: ClipLoss = ClipLoss.create(), cutOthers: Boolean = false): Pair<List<FloatArray>, List<FloatArray>> {
    val inputs = listOf(img, txt, scalar(logScale))
    val gathered = Tf.gradients(inputs) { tf, (x, y, s) -> Group(tf, x, y, size, cutOthers).mean(GatheredClip(loss), s) }
    val single = Tf.gradients(inputs) { tf, (x, y, s) -> loss.call(tf, x, y, s) }
    return gathered to single
  }

  /** The largest |a - b| / (|b| + 1e-3) over every gradient element. */
  fun worstRelative(a: List<FloatArray>, b: List<FloatArray>): Double =
    a.indices.maxOf { i -> a[i].indices.maxOf { k -> abs(a[i][k] - b[i][k]).toDouble() / (abs(b[i][k]) + 1e-3) } }

  test("the gradient of the workers' mean, for images, texts and the logit scale, is the one-worker gradient; both match finite differences of the reference") {
    for ((size, b) in groups) for (logScale in listOf(initial, 0.5f)) {
      val img = randomMat(rnd, size * b, 5)
      val txt = randomMat(rnd, size * b, 5)
      val (gathered, single) = gradients(img, txt, logScale, size)
      withClue("$size workers x $b rows, log scale $logScale") {
        // float32 sums in another order: differences of a few ulps of values near 0.1
        listOf("images", "texts", "log logit scale").forEachIndexed { i, what ->
          gathered[i].shouldMatch(single[i].map { it.toDouble() }, "d/d $what", atol = 1e-6)
        }
        Tf.checkGradients(listOf(img, txt, scalar(logScale)), reference = { (x, y, s) -> perPair(x, y, s.at(0)).average() }) { tf, (x, y, s) ->
          Group(tf, x, y, size).mean(GatheredClip(ClipLoss.create()), s)
        }
      }
    }
  }

  test("row blocks give the full form's value and the one-worker gradient (images, texts, logit scale), with SUM too; lightly's bug caught in blocks") {
    // (workers, rows per worker, rows per block, reduction): blocks of one row, uneven blocks, one block larger than b
    val cases = listOf(listOf(2, 3, 1, Reduction.MEAN), listOf(3, 4, 3, Reduction.MEAN), listOf(3, 4, 5, Reduction.SUM), listOf(2, 3, 2, Reduction.SUM))
    for ((index, case) in cases.withIndex()) {
      val (size, b, rows) = case.take(3).map { it as Int }
      val reduction = case[3] as Reduction
      val img = randomMat(rnd, size * b, 5)
      val txt = randomMat(rnd, size * b, 5)
      val inputs = listOf(img, txt, scalar(1.2f))
      val full = ClipLoss.create().withReduction(reduction)
      val blocks = full.withChunkRows(rows)
      withClue("$size workers x $b rows, blocks of $rows, $reduction") {
        val value = Tf.graphLoss(inputs) { tf, (x, y, s) -> Group(tf, x, y, size).mean(GatheredClip(blocks), s) }
        val expected = perPair(img, txt, 1.2).let { if (reduction == Reduction.MEAN) it.average() else it.sum() }
        floatArrayOf(value).shouldMatch(doubleArrayOf(expected), "value")
        val chunked = Tf.gradients(inputs) { tf, (x, y, s) -> Group(tf, x, y, size).mean(GatheredClip(blocks), s) }
        val single = Tf.gradients(inputs) { tf, (x, y, s) -> full.call(tf, x, y, s) }
        listOf("images", "texts", "log logit scale").forEachIndexed { i, what ->
          chunked[i].shouldMatch(single[i].map { it.toDouble() }, "d/d $what", atol = 1e-6)
        }
        if (index == 0) {
          val cut = Tf.gradients(inputs) { tf, (x, y, s) -> Group(tf, x, y, size, cutOthers = true).mean(GatheredClip(blocks), s) }
          withClue("blocks with lightly's bug") { worstRelative(cut, single) shouldBeGreaterThan 0.1 }
        }
      }
    }
  }

  test("the clamp: above maxLogitScale the scale is the clamp and its gradient 0, on every worker as with one") {
    val (size, b) = 2 to 3
    val img = randomMat(rnd, size * b, 4)
    val txt = randomMat(rnd, size * b, 4)
    val loss = ClipLoss.create().withMaxLogitScale(20f)
    val above = ln(30f)
    val mean = Tf.eagerOn(listOf(img, txt, scalar(above))) { tf, (x, y, s) -> Group(tf, x, y, size).mean(GatheredClip(loss), s) }
    mean.shouldMatch(doubleArrayOf(perPair(img, txt, above.toDouble(), maxScale = 20.0).average()), "clamped value")
    mean.shouldMatch(doubleArrayOf(perPair(img, txt, ln(20.0)).average()), "value at scale 20")
    val (gathered, single) = gradients(img, txt, above, size, loss)
    gathered[2][0] shouldBe 0f
    single[2][0] shouldBe 0f
    gathered[0].shouldMatch(single[0].map { it.toDouble() }, "d/d images", atol = 1e-6)
  }

  test("a gather whose copies of other workers' rows carry no gradient (lightly's bug) gives another gradient, and the comparison catches it") {
    val (size, b) = 2 to 3
    val img = randomMat(rnd, size * b, 5)
    val txt = randomMat(rnd, size * b, 5)
    val (right, single) = gradients(img, txt, initial, size)
    val (cut, _) = gradients(img, txt, initial, size, cutOthers = true)
    worstRelative(right, single) shouldBeLessThan 1e-4
    val worst = worstRelative(cut, single)
    withClue("the bug's gradient differs from the one-worker gradient by $worst (relative)") { worst shouldBeGreaterThan 0.1 }
    // its value is still right: only the gradient shows the bug
    val value = Tf.eagerOn(listOf(img, txt, scalar(initial))) { tf, (x, y, s) -> Group(tf, x, y, size, cutOthers = true).mean(GatheredClip(ClipLoss.create()), s) }
    value.shouldMatch(doubleArrayOf(SoftmaxRefs.clip(img, txt, initial.toDouble()).average()), "value with the cut gather")
  }

  test("bad inputs are refused at graph-build time, naming the argument") {
    shouldThrow<IllegalArgumentException> { GatheredClip(ClipLoss.create().withReduction(Reduction.NONE)) }
      .message.let { it shouldContain "loss"; it shouldContain "NONE" }
    Tf.graph { tf ->
      val x = Tf.placeholder(tf, 3, 5)
      val s = Tf.placeholder(tf)
      val ok = SimulatedGroup.repeating(2, 0)
      val loss = GatheredClip(ClipLoss.create())
      shouldThrow<IllegalArgumentException> { loss.call(tf, x, Tf.placeholder(tf, 2, 5), s, ok) }
        .message.let { it shouldContain "'textFeatures'"; it shouldContain "[3, 5]"; it shouldContain "[2, 5]" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 3), x, s, ok) }
        .message.let { it shouldContain "'imageFeatures'"; it shouldContain "[B,D]" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, x, x, Tf.placeholder(tf, 1), ok) }
        .message.let { it shouldContain "'logLogitScale'"; it shouldContain "scalar"; it shouldContain "[1]" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, x, x, s, null) }.message shouldContain "gather"
      val badRank = object : AllGather {
        override fun size() = 2
        override fun rank() = 2
        override fun gather(tf: Ops, x: Operand<TFloat32>) = x
      }
      shouldThrow<IllegalArgumentException> { loss.call(tf, x, x, s, badRank) }
        .message.let { it shouldContain "gather"; it shouldContain "rank 2"; it shouldContain "0..1" }
      val blocks = GatheredClip(ClipLoss.create().withChunkRows(2))
      shouldThrow<IllegalArgumentException> { blocks.call(tf, Tf.placeholder(tf, -1, 5), Tf.placeholder(tf, -1, 5), s, ok) }
        .message.let { it shouldContain "'imageFeatures'"; it shouldContain "static batch size" }
      shouldThrow<IllegalArgumentException> { blocks.call(tf, Tf.placeholder(tf, 3, -1), Tf.placeholder(tf, 3, -1), s, ok) }
        .message.let { it shouldContain "imageFeatures"; it shouldContain "static embedding size" }
      shouldThrow<IllegalArgumentException> { GatheredClip.Features(x, x, x, x, tf.constant(intArrayOf(0, 1, 2)), 0, 0) }
        .message.let { it shouldContain "size"; it shouldContain "0" }
      shouldThrow<IllegalArgumentException> { GatheredClip.Features(x, x, x, x, tf.constant(intArrayOf(0, 1, 2)), 2, 2) }
        .message.let { it shouldContain "rank"; it shouldContain "0..1"; it shouldContain "2" }
    }
  }
})
