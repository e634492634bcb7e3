package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import org.tensorflow.types.TInt32
import kotlin.math.ln
import kotlin.math.exp
import kotlin.math.max
import kotlin.math.sqrt

class TripletLossSpec : FunSpec({
  val anchor = mat(f(0, 0), f(1, 0), f(0, 2))
  val positive = mat(f(0.5, 0), f(1, 1), f(0, 2))
  val negative = mat(f(0, 0.8), f(4, 0), f(3, 2))

  fun euclid(x: DoubleArray, y: DoubleArray) = sqrt(x.indices.sumOf { val t = x[it] - y[it] + 1e-6; t * t })

  fun expected(dist: (DoubleArray, DoubleArray) -> Double, margin: Double, soft: Boolean) = (0 until 3).map { i ->
    val diff = dist(anchor.row(i), positive.row(i)) - dist(anchor.row(i), negative.row(i))
    if (soft) ln(1 + exp(diff)) else max(0.0, diff + margin)
  }

  fun explicit(loss: TripletLoss) = Tf.eagerOn(listOf(anchor, positive, negative)) { tf, (a, p, n) ->
    loss.withReduction(Reduction.NONE).call(tf, a, p, n)
  }

  test("explicit triplets, Euclidean (PyTorch default margin 1), squared (document 004, margin 0.3), soft margin") {
    explicit(TripletLoss.create()).toList().zip(expected(::euclid, 1.0, false)).forEach { (a, e) -> (a near e) shouldBe true }
    // hand check of row 0: d(a,p) = 0.5, d(a,n) = 0.8 -> 0.5 - 0.8 + 1 = 0.7
    (explicit(TripletLoss.create())[0] near 0.7) shouldBe true
    explicit(TripletLoss.create().withMargin(0.3f).withSquaredDistance(true)).toList()
      .zip(expected(Ref::sqDist, 0.3, false)).forEach { (a, e) -> (a near e) shouldBe true }
    explicit(TripletLoss.create().withSoftMargin(true)).toList()
      .zip(expected(::euclid, 0.0, true)).forEach { (a, e) -> (a near e) shouldBe true }
    // a similarity: violation = s(a,n) - s(a,p) + margin
    val dotLoss = explicit(TripletLoss.create().withDistance(Distances.dot()).withMargin(0.5f))
    dotLoss.toList().zip((0 until 3).map { i ->
      max(0.0, Ref.dot(anchor.row(i), negative.row(i)) - Ref.dot(anchor.row(i), positive.row(i)) + 0.5)
    }).forEach { (a, e) -> (a near e) shouldBe true }
    val mean = Tf.eagerOn(listOf(anchor, positive, negative)) { tf, (a, p, n) -> TripletLoss.create().call(tf, a, p, n) }[0]
    (mean near expected(::euclid, 1.0, false).average()) shouldBe true
  }

  // brute-force mining in doubles on squared Euclidean distances
  val emb = mat(f(0, 0), f(0.2, 0), f(1, 1), f(1.1, 0.9), f(3, 0), f(0, 0.5))
  val labels = intArrayOf(0, 0, 1, 1, 2, 0)
  val n = labels.size
  fun d(i: Int, j: Int) = Ref.sqDist(emb.row(i), emb.row(j))

  fun labelled(loss: TripletLoss, reduction: Reduction = Reduction.MEAN) = Tf.eager { tf ->
    loss.withDistance(Distances.squaredEuclidean()).withReduction(reduction).callOnLabels(tf, Tf.constant(tf, emb), tf.constant(labels))
  }

  test("batch-all from labels: mean over every valid triplet") {
    val m = 0.5
    val losses = mutableListOf<Double>()
    for (a in 0 until n) for (p in 0 until n) for (q in 0 until n) {
      if (a != p && labels[a] == labels[p] && labels[q] != labels[a]) losses += max(0.0, d(a, p) - d(a, q) + m)
    }
    losses.size shouldBe 3 * 2 * 3 + 2 * 1 * 4   // class 0: 3 anchors x 2 positives x 3 negatives; class 1: 2 x 1 x 4
    (labelled(TripletLoss.create().withMargin(0.5f).withMiner(BatchAllMiner.create()))[0] near losses.average()) shouldBe true
    (labelled(TripletLoss.create().withMargin(0.5f), Reduction.SUM)[0] near losses.sum()) shouldBe true
    labelled(TripletLoss.create().withMargin(0.5f), Reduction.NONE).size shouldBe n * n * n
  }

  test("batch-hard from labels: farthest positive, closest negative, anchors without positives dropped") {
    val m = 0.5
    val perAnchor = (0 until n).mapNotNull { a ->
      val pos = (0 until n).filter { it != a && labels[it] == labels[a] }
      val neg = (0 until n).filter { labels[it] != labels[a] }
      if (pos.isEmpty() || neg.isEmpty()) null else max(0.0, pos.maxOf { d(a, it) } - neg.minOf { d(a, it) } + m)
    }
    perAnchor.size shouldBe 5   // the lone class-2 example has no positive
    val hard = TripletLoss.create().withMargin(0.5f).withMiner(BatchHardMiner.create())
    (labelled(hard)[0] near perAnchor.average()) shouldBe true
    val none = labelled(hard, Reduction.NONE)
    none.size shouldBe n
    none[4] shouldBe 0f
  }

  test("gradients match finite differences: explicit, batch-hard, batch-all, soft margin") {
    val rnd = kotlin.random.Random(11)
    val inputs = listOf(randomMat(rnd, 4, 3), randomMat(rnd, 4, 3), randomMat(rnd, 4, 3))
    for (loss in listOf(TripletLoss.create(), TripletLoss.create().withSquaredDistance(true).withMargin(0.3f), TripletLoss.create().withSoftMargin(true))) {
      Tf.checkGradients(inputs) { tf, (a, p, q) -> loss.call(tf, a, p, q) }
    }
    val batch = randomMat(rnd, 6, 3)
    for (miner in listOf(BatchHardMiner.create(), BatchAllMiner.create())) {
      Tf.checkGradients(listOf(batch)) { tf, (e) -> TripletLoss.create().withMiner(miner).callOnLabels(tf, e, tf.constant(labels)) }
    }
  }

  test("finite gradients at identical triplets, zero vectors, margin 0") {
    val same = mat(f(1, 2), f(0, 0))
    for (loss in listOf(TripletLoss.create().withMargin(0f), TripletLoss.create(), TripletLoss.create().withSoftMargin(true))) {
      Tf.gradients(listOf(same, same.copy(), same.copy())) { tf, (a, p, q) -> loss.call(tf, a, p, q) }
        .forEach { it.shouldBeFinite("triplet gradient at identical rows") }
    }
    val dup = mat(f(1, 1), f(1, 1), f(0, 0), f(0, 0))
    Tf.gradients(listOf(dup)) { tf, (e) -> TripletLoss.create().withMiner(BatchHardMiner.create()).callOnLabels(tf, e, tf.constant(intArrayOf(0, 0, 1, 1))) }
      .forEach { it.shouldBeFinite("batch-hard gradient with duplicate embeddings") }
  }

  test("property: non-negative") {
    checkAll(25, Arb.long(), Arb.float(0f..2f, includeNaNs = false)) { seed, m ->
      val rnd = kotlin.random.Random(seed)
      val v = Tf.eagerOn(listOf(randomMat(rnd, 3, 2, 2f), randomMat(rnd, 3, 2, 2f), randomMat(rnd, 3, 2, 2f))) { tf, (a, p, q) ->
        TripletLoss.create().withMargin(m).withReduction(Reduction.NONE).call(tf, a, p, q)
      }
      v.forEach { (it >= 0f) shouldBe true }
    }
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { TripletLoss.create().withMargin(-0.1f) }.message shouldContain "margin"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.constant(tf, anchor), Tf.constant(tf, positive), Tf.constant(tf, mat(f(1, 2))))
      }.message.let { it shouldContain "'negative'"; it shouldContain "[3, 2]"; it shouldContain "[1, 2]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().callOnLabels(tf, Tf.constant(tf, emb), tf.constant(intArrayOf(0, 1)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[2]"; it shouldContain "[6, 2]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().callOnLabels(tf, tf.constant(f(1, 2)), tf.constant(intArrayOf(0, 1)))
      }.message shouldContain "rank 2"
      tf.constant(0f)
    }
    TripletLoss.create().withSquaredDistance(true).squaredDistance() shouldBe true
    TripletLoss.create().toString() shouldContain "batchAll"
  }
})
