package io.github.kontrast.losses.miners

import io.github.kontrast.losses.*
import io.github.kontrast.losses.distances.Distances
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.max
import org.tensorflow.types.TInt32

class MinersSpec : FunSpec({
  val anchors = mat(f(1, 0), f(0, 1))
  val candidates = mat(f(0.9, 0.1), f(-1, 0), f(0.5, 0.5), f(0, 2), f(0.1, 0.8))

  fun ints(block: (org.tensorflow.op.Ops) -> org.tensorflow.Operand<TInt32>): IntArray =
    org.tensorflow.EagerSession.create().use { s ->
      val t = block(org.tensorflow.op.Ops.create(s)).asTensor()
      IntArray(t.size().toInt()).also { out -> t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false)) }
    }

  fun intsOf(t: TInt32): List<Int> = IntArray(t.size().toInt()).also { out -> t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false)) }.toList()

  fun triplets(block: (org.tensorflow.op.Ops) -> Tuples): List<Triple<Int, Int, Int>> =
    org.tensorflow.EagerSession.create().use { s ->
      val t = block(org.tensorflow.op.Ops.create(s)).triplets(org.tensorflow.op.Ops.create(s))
      val (a, p, n) = listOf(t.anchors(), t.positives(), t.negatives()).map { intsOf(it.asTensor()) }
      a.indices.map { Triple(a[it], p[it], n[it]) }
    }

  /** (positive pairs, negative pairs). */
  fun pairs(block: (org.tensorflow.op.Ops) -> Tuples): Pair<List<Pair<Int, Int>>, List<Pair<Int, Int>>> =
    org.tensorflow.EagerSession.create().use { s ->
      val t = block(org.tensorflow.op.Ops.create(s)).pairs(org.tensorflow.op.Ops.create(s))
      val (a1, p, a2, n) = listOf(t.positiveAnchors(), t.positives(), t.negativeAnchors(), t.negatives()).map { intsOf(it.asTensor()) }
      a1.indices.map { a1[it] to p[it] } to a2.indices.map { a2[it] to n[it] }
    }

  // points (0,0), (1,0) of class 0 and (0,2), (3,0) of class 1. Euclidean distances: d01 = 1,
  // d02 = 2, d03 = 3, d12 = sqrt(5), d13 = 2, d23 = sqrt(13)
  val small = mat(f(0, 0), f(1, 0), f(0, 2), f(3, 0))
  val classes = intArrayOf(0, 0, 1, 1)
  fun on(miner: Miner, labels: IntArray = classes, e: Arr = small): (org.tensorflow.op.Ops) -> Tuples =
    { tf -> miner.mine(tf, Tf.constant(tf, e), tf.constant(labels)) }

  test("all pairs and batch-all: every valid pair and triplet of a hand-checked batch, in index order") {
    pairs(on(AllPairsMiner.create())) shouldBe (
      listOf(0 to 1, 1 to 0, 2 to 3, 3 to 2) to
        listOf(0 to 2, 0 to 3, 1 to 2, 1 to 3, 2 to 0, 2 to 1, 3 to 0, 3 to 1))
    val all = listOf(Triple(0, 1, 2), Triple(0, 1, 3), Triple(1, 0, 2), Triple(1, 0, 3),
      Triple(2, 3, 0), Triple(2, 3, 1), Triple(3, 2, 0), Triple(3, 2, 1))
    triplets(on(BatchAllMiner.create())) shouldBe all
    // pairs combine into the same triplets: every positive pair with every negative pair of its anchor
    triplets(on(AllPairsMiner.create())) shouldBe all
    // rows 2 and 3 are alone in their classes: no triplet has them as anchor or positive
    triplets(on(BatchAllMiner.create(), intArrayOf(0, 0, 1, 2))) shouldBe
      listOf(Triple(0, 1, 2), Triple(0, 1, 3), Triple(1, 0, 2), Triple(1, 0, 3))
    triplets(on(BatchAllMiner.create(), intArrayOf(0, 1, 2, 3))) shouldBe emptyList()
  }

  test("batch-hard: farthest positive and closest negative per anchor; triplets as pairs") {
    // anchor 0: positive 1, negatives 2 (2) and 3 (3) -> 2; anchor 1: negatives 2 (sqrt5), 3 (2) -> 3;
    // anchor 2: positive 3, negatives 0 (2), 1 (sqrt5) -> 0; anchor 3: negatives 0 (3), 1 (2) -> 1
    val hard = listOf(Triple(0, 1, 2), Triple(1, 0, 3), Triple(2, 3, 0), Triple(3, 2, 1))
    triplets(on(BatchHardMiner.create())) shouldBe hard
    pairs(on(BatchHardMiner.create())) shouldBe (hard.map { it.first to it.second } to hard.map { it.first to it.third })
    // class 0 has three members (0,0), (1,0), (0,0.5): anchor 0's farthest positive is 1
    triplets(on(BatchHardMiner.create(), intArrayOf(0, 0, 0, 1), mat(f(0, 0), f(1, 0), f(0, 0.5), f(3, 0)))) shouldBe
      listOf(Triple(0, 1, 3), Triple(1, 2, 3), Triple(2, 1, 3))
    // a similarity measures hardness the other way round: the closest negative has the largest dot
    // product. Rows (1,0), (2,0) | (0,1), (1,1): anchor 0's negatives are at 0 and 1 -> 3; anchor
    // 1's at 0 and 2 -> 3; anchor 2's tie at 0 and the first is taken -> 0; anchor 3's at 1, 2 -> 1
    triplets(on(BatchHardMiner.create().withDistance(Distances.dot()), intArrayOf(0, 0, 1, 1), mat(f(1, 0), f(2, 0), f(0, 1), f(1, 1)))) shouldBe
      listOf(Triple(0, 1, 3), Triple(1, 0, 3), Triple(2, 3, 0), Triple(3, 2, 1))
  }

  test("semi-hard on a labelled batch: the closest negative in the band, else the hardest; batch-hard differs") {
    // 1-D points 0, 1 (class 0) and 0.4, -1.2 (class 1); squared distances d01 = 1, d02 = 0.16,
    // d03 = 1.44, d12 = 0.36, d13 = 4.84, d23 = 2.56; margin 1:
    // (0,1): band (1, 2) holds 3 (1.44) -> 3, though 2 (0.16) is the hardest
    // (1,0): band (1, 2) holds nothing among 2 (0.36), 3 (4.84) -> the hardest, 2
    // (2,3): band (2.56, 3.56) holds nothing among 0 (0.16), 1 (0.36) -> 0
    // (3,2): band (2.56, 3.56) holds nothing among 0 (1.44), 1 (4.84) -> 0
    val line = mat(f(0, 0), f(1, 0), f(0.4, 0), f(-1.2, 0))
    triplets(on(SemiHardNegativeMiner.create().withMargin(1f), classes, line)) shouldBe
      listOf(Triple(0, 1, 3), Triple(1, 0, 2), Triple(2, 3, 0), Triple(3, 2, 0))
    triplets(on(BatchHardMiner.create(), classes, line))[0] shouldBe Triple(0, 1, 2)
    // an anchor without any negative gives no triplet
    triplets(on(SemiHardNegativeMiner.create(), intArrayOf(0, 0, 0, 0), line)) shouldBe emptyList()
  }

  test("hard negatives on a labelled batch: every positive pair, each anchor's k closest negatives") {
    val euclid = HardNegativeMiner.create().withDistance(Distances.euclidean())
    val positives = listOf(0 to 1, 1 to 0, 2 to 3, 3 to 2)
    pairs(on(euclid.withK(1))) shouldBe (positives to listOf(0 to 2, 1 to 3, 2 to 0, 3 to 1))
    // k = 5 is more than the batch: each anchor's two negatives, closest first
    pairs(on(euclid.withK(5))) shouldBe (positives to listOf(0 to 2, 0 to 3, 1 to 3, 1 to 2, 2 to 0, 2 to 1, 3 to 1, 3 to 0))
  }

  test("hard negatives: the k most similar candidates by dot product, in order") {
    val idx = ints { tf -> HardNegativeMiner.create().withK(2).negativeIndices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates)) }
    // anchor (1,0): dots 0.9, -1, 0.5, 0, 0.1 -> 0, 2 ; anchor (0,1): 0.1, 0, 0.5, 2, 0.8 -> 3, 4
    idx.toList() shouldBe listOf(0, 2, 3, 4)
    val rows = Tf.eagerOn(listOf(anchors, candidates)) { tf, (a, c) -> HardNegativeMiner.create().withK(2).negatives(tf, a, c) }
    rows.toList() shouldBe f(0.9, 0.1, 0.5, 0.5, 0, 2, 0.1, 0.8).toList()
  }

  test("hard negatives with a distance pick the smallest distances") {
    val idx = ints { tf ->
      HardNegativeMiner.create().withK(1).withDistance(Distances.euclidean()).negativeIndices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates))
    }
    // nearest to (1,0) is (0.9,0.1); nearest to (0,1) is (0.1,0.8)
    idx.toList() shouldBe listOf(0, 4)
  }

  test("hard negatives feed InfoNCE and the gradient reaches the mined rows") {
    val q = mat(f(1, 0), f(0, 1))
    val g = Tf.gradients(listOf(q, q.copy(), candidates)) { tf, (query, key, c) ->
      InfoNceLoss.create().call(tf, query, key, HardNegativeMiner.create().withK(2).negatives(tf, query, c))
    }
    g.forEach { it.shouldBeFinite("gradient") }
    // candidate 1 (-1, 0) is never mined, so it gets no gradient; the mined ones do
    g[2][2] shouldBe 0f
    g[2][3] shouldBe 0f
    (g[2][0] != 0f || g[2][1] != 0f) shouldBe true
    // and the whole gradient is that of InfoNCE on the two highest-dot candidates of each query
    Tf.checkGradients(listOf(q, q.copy(), candidates), reference = { (query, key, c) ->
      (0 until 2).map { i ->
        val mined = (0 until 5).sortedByDescending { Ref.dot(query.row(i), c.row(it)) }.take(2)
        val qi = Ref.normalize(query.row(i))
        val logits = listOf(Ref.dot(qi, Ref.normalize(key.row(i)))) + mined.map { Ref.dot(qi, Ref.normalize(c.row(it))) }
        Ref.crossEntropy(logits.map { it / 0.07 }.toDoubleArray(), 0)
      }.average()
    }) { tf, (query, key, c) -> InfoNceLoss.create().call(tf, query, key, HardNegativeMiner.create().withK(2).negatives(tf, query, c)) }
  }

  test("semi-hard: closest negative farther than the positive within the margin, else the hardest") {
    val a = mat(f(0, 0), f(0, 0))
    val p = mat(f(1, 0), f(0, 0.1))
    // squared distances to a: 0.25, 1.21, 1.44, 4, 0.01
    val c = mat(f(0.5, 0), f(1.1, 0), f(0, 1.2), f(2, 0), f(0.1, 0))
    val idx = ints { tf -> SemiHardNegativeMiner.create().withMargin(0.5f).negativeIndices(tf, Tf.constant(tf, a), Tf.constant(tf, p), Tf.constant(tf, c)) }
    // row 0: d(a,p) = 1; semi-hard band (1, 1.5): candidates 1 (1.21) and 2 (1.44) -> closest is 1
    // row 1: d(a,p) = 0.01; band (0.01, 0.51): candidate 0 (0.25) -> 0
    idx.toList() shouldBe listOf(1, 0)
    val fallback = ints { tf -> SemiHardNegativeMiner.create().withMargin(0.1f).negativeIndices(tf, Tf.constant(tf, a), Tf.constant(tf, mat(f(3, 0), f(3, 0))), Tf.constant(tf, c)) }
    // d(a,p) = 9 is beyond every negative: no semi-hard one, fall back to the hardest (candidate 4, 0.01)
    fallback.toList() shouldBe listOf(4, 4)
    val rows = Tf.eagerOn(listOf(a, p, c)) { tf, (x, y, z) -> SemiHardNegativeMiner.create().withMargin(0.5f).negatives(tf, x, y, z) }
    rows.toList() shouldBe f(1.1, 0, 0.5, 0).toList()
  }

  test("semi-hard negatives feed TripletLoss; gradients match finite differences through the chosen rows") {
    val r = kotlin.random.Random(31)
    Tf.checkGradients(listOf(randomMat(r, 3, 2), randomMat(r, 3, 2), randomMat(r, 5, 2)), reference = { (a, p, c) ->
      (0 until 3).map { i ->
        val ap = Ref.sqDist(a.row(i), p.row(i))
        val an = (0 until 5).map { Ref.sqDist(a.row(i), c.row(it)) }
        val band = an.indices.filter { an[it] > ap && an[it] < ap + 0.3 }
        val j = if (band.isNotEmpty()) band.minBy { an[it] } else an.indices.minBy { an[it] }
        max(0.0, ap - an[j] + 0.3)
      }.average()
    }) { tf, (a, p, c) ->
      TripletLoss.create().withSquaredDistance(true).withMargin(0.3f).call(tf, a, p, SemiHardNegativeMiner.create().negatives(tf, a, p, c))
    }
  }

  test("bad input: k larger than the candidates, mismatched sizes") {
    shouldThrow<IllegalArgumentException> { HardNegativeMiner.create().withK(0) }.message.let { it shouldContain "k"; it shouldContain "got 0" }
    shouldThrow<IllegalArgumentException> { HardNegativeMiner.create().withDistance(null) }.message shouldContain "distance"
    shouldThrow<IllegalArgumentException> { SemiHardNegativeMiner.create().withMargin(-0.5f) }.message.let { it shouldContain "margin"; it shouldContain "-0.5" }
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().withK(6).negativeIndices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates))
      }.message.let { it shouldContain "k = 6"; it shouldContain "[5, 2]" }
      shouldThrow<IllegalArgumentException> {
        SemiHardNegativeMiner.create().negativeIndices(tf, Tf.constant(tf, anchors), Tf.constant(tf, anchors), Tf.constant(tf, mat(f(1, 2, 3))))
      }.message.let { it shouldContain "embedding sizes"; it shouldContain "[2, 2]"; it shouldContain "[1, 3]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().withK(6).negativeIndices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 5, 3))
      }.message.let { it shouldContain "k = 6"; it shouldContain "[5, 3]" }
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().negativeIndices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 20, 4))
      }.message.let { it shouldContain "'candidates'"; it shouldContain "[2, 3]"; it shouldContain "[20, 4]" }
      shouldThrow<IllegalArgumentException> {
        SemiHardNegativeMiner.create().negativeIndices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 3, 3), Tf.placeholder(tf, 5, 3))
      }.message.let { it shouldContain "'positive'"; it shouldContain "[2, 3]"; it shouldContain "[3, 3]" }
      // an unknown number of candidates is checked when the graph runs, not here
      HardNegativeMiner.create().withK(6).negativeIndices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, -1, 3))
      val labels = { n: Long -> tf.placeholder(TInt32::class.java, org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(n))) }
      for (miner in listOf(AllPairsMiner.create(), BatchAllMiner.create(), BatchHardMiner.create(), SemiHardNegativeMiner.create(), HardNegativeMiner.create())) {
        shouldThrow<IllegalArgumentException> { miner.mine(tf, Tf.placeholder(tf, 4, 3), labels(5)) }
          .message.let { it shouldContain "'labels'"; it shouldContain "[5]"; it shouldContain "[4, 3]" }
        shouldThrow<IllegalArgumentException> { miner.mine(tf, Tf.placeholder(tf, 4), labels(4)) }
          .message.let { it shouldContain "'embeddings'"; it shouldContain "rank 2"; it shouldContain "[4]" }
        miner.mine(tf, Tf.placeholder(tf, -1, 3), labels(-1))
      }
      shouldThrow<IllegalArgumentException> {
        IndexTriplets(tf.constant(intArrayOf(0, 1)), tf.constant(intArrayOf(1, 0)), tf.constant(intArrayOf(2)))
      }.message.let { it shouldContain "'negatives'"; it shouldContain "[2]"; it shouldContain "[1]" }
      shouldThrow<IllegalArgumentException> {
        IndexPairs(tf.constant(intArrayOf(0)), tf.constant(intArrayOf(1, 0)), tf.constant(intArrayOf(2)), tf.constant(intArrayOf(3)))
      }.message.let { it shouldContain "'positives'"; it shouldContain "[2]" }
    }
  }
})
