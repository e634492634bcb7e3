package io.github.kontrast.losses

import io.github.kontrast.losses.distances.*
import io.github.kontrast.losses.miners.*
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.max
import kotlin.math.sqrt
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TInt32

class TripletLossSpec : FunSpec({
  val anchor = mat(f(0, 0), f(1, 0), f(0, 2))
  val positive = mat(f(0.5, 0), f(1, 1), f(0, 2))
  val negative = mat(f(0, 0.8), f(4, 0), f(3, 2))

  fun euclid(x: DoubleArray, y: DoubleArray) = Ref.torchDist(x, y)

  fun expected(dist: (DoubleArray, DoubleArray) -> Double, margin: Double, soft: Boolean) = (0 until 3).map { i ->
    val diff = dist(anchor.row(i), positive.row(i)) - dist(anchor.row(i), negative.row(i))
    if (soft) ln(1 + exp(diff)) else max(0.0, diff + margin)
  }

  fun explicit(loss: TripletLoss) = Tf.eagerOn(listOf(anchor, positive, negative)) { tf, (a, p, n) ->
    loss.withReduction(Reduction.NONE).call(tf, a, p, n)
  }

  test("explicit triplets, Euclidean (PyTorch default margin 1), squared (document 004, margin 0.3), soft margin") {
    explicit(TripletLoss.create()).shouldMatch(expected(::euclid, 1.0, false), "euclidean")
    // hand check of row 0: d(a,p) = 0.5, d(a,n) = 0.8 -> 0.5 - 0.8 + 1 = 0.7
    (explicit(TripletLoss.create())[0] near 0.7) shouldBe true
    explicit(TripletLoss.create().withMargin(0.3f).withSquaredDistance(true)).shouldMatch(expected(Ref::sqDist, 0.3, false), "squared")
    explicit(TripletLoss.create().withSoftMargin(true)).shouldMatch(expected(::euclid, 0.0, true), "soft margin")
    // a similarity: violation = s(a,n) - s(a,p) + margin
    val dotLoss = explicit(TripletLoss.create().withDistance(Distances.dot()).withMargin(0.5f))
    dotLoss.shouldMatch((0 until 3).map { i ->
      max(0.0, Ref.dot(anchor.row(i), negative.row(i)) - Ref.dot(anchor.row(i), positive.row(i)) + 0.5)
    }, "dot")
    val mean = Tf.eagerOn(listOf(anchor, positive, negative)) { tf, (a, p, n) -> TripletLoss.create().call(tf, a, p, n) }[0]
    (mean near expected(::euclid, 1.0, false).average()) shouldBe true
  }

  // brute-force mining in doubles on squared Euclidean distances
  val emb = mat(f(0, 0), f(0.2, 0), f(1, 1), f(1.1, 0.9), f(3, 0), f(0, 0.5))
  val labels = intArrayOf(0, 0, 1, 1, 2, 0)
  val n = labels.size
  fun d(i: Int, j: Int) = Ref.sqDist(emb.row(i), emb.row(j))

  fun labelled(loss: TripletLoss, reduction: Reduction = Reduction.MEAN) = Tf.eager { tf ->
    loss.withDistance(Distances.squaredEuclidean()).withReduction(reduction).call(tf, Tf.constant(tf, emb), tf.constant(labels))
  }

  test("batch-all from labels: mean over every valid triplet, NONE one loss per triplet in index order") {
    val m = 0.5
    val losses = mutableListOf<Double>()
    for (a in 0 until n) for (p in 0 until n) for (q in 0 until n) {
      if (a != p && labels[a] == labels[p] && labels[q] != labels[a]) losses += max(0.0, d(a, p) - d(a, q) + m)
    }
    losses.size shouldBe 3 * 2 * 3 + 2 * 1 * 4   // class 0: 3 anchors x 2 positives x 3 negatives; class 1: 2 x 1 x 4
    (labelled(TripletLoss.create().withMargin(0.5f).withMiner(BatchAllMiner.create()))[0] near losses.average()) shouldBe true
    (labelled(TripletLoss.create().withMargin(0.5f), Reduction.SUM)[0] near losses.sum()) shouldBe true
    labelled(TripletLoss.create().withMargin(0.5f), Reduction.NONE).shouldMatch(losses, "per triplet")
  }

  test("batch-hard from labels: farthest positive, closest negative, anchors without positives dropped") {
    val m = 0.5
    val perAnchor = (0 until n).mapNotNull { a ->
      val pos = (0 until n).filter { it != a && labels[it] == labels[a] }
      val neg = (0 until n).filter { labels[it] != labels[a] }
      if (pos.isEmpty() || neg.isEmpty()) null else max(0.0, pos.maxOf { d(a, it) } - neg.minOf { d(a, it) } + m)
    }
    perAnchor.size shouldBe 5   // the lone class-2 example has no positive: no triplet
    val hard = TripletLoss.create().withMargin(0.5f).withMiner(BatchHardMiner.create())
    (labelled(hard)[0] near perAnchor.average()) shouldBe true
    labelled(hard, Reduction.NONE).shouldMatch(perAnchor, "per anchor with a triplet")
  }

  // a small batch: points (0,0), (1,0) of class 0 and (0,2), (3,0) of class 1. Euclidean
  // distances: d01 = 1, d02 = 2, d03 = 3, d12 = sqrt(5), d13 = 2, d23 = sqrt(13)
  val small = mat(f(0, 0), f(1, 0), f(0, 2), f(3, 0))
  val smallLabels = intArrayOf(0, 0, 1, 1)

  test("PML form on a hand-checked batch: every valid triplet, the mined ones, or tuples a miner returned") {
    val s5 = sqrt(5.0)
    val s13 = sqrt(13.0)
    // the 8 valid triplets (a, p, n) in index order, margin 1: d(a,p) - d(a,n) + 1, clipped at 0
    // (0,1,2): 1 - 2 + 1 = 0; (0,1,3): 1 - 3 + 1 < 0; (1,0,2): 1 - sqrt5 + 1 < 0; (1,0,3): 1 - 2 + 1 = 0;
    // (2,3,0): sqrt13 - 2 + 1; (2,3,1): sqrt13 - sqrt5 + 1; (3,2,0): sqrt13 - 3 + 1; (3,2,1): sqrt13 - 2 + 1
    val all = listOf(0.0, 0.0, 0.0, 0.0, s13 - 1, s13 - s5 + 1, s13 - 2, s13 - 1)
    fun run(loss: TripletLoss) = Tf.eager { tf -> loss.call(tf, Tf.constant(tf, small), tf.constant(smallLabels)) }
    run(TripletLoss.create().withReduction(Reduction.NONE)).shouldMatch(all, "all triplets", atol = 1e-6)
    run(TripletLoss.create()).shouldMatch(listOf(all.average()), "mean over all triplets")
    // batch-hard: (0,1,2), (1,0,3), (2,3,0), (3,2,1): 0, 0, sqrt13 - 1, sqrt13 - 1
    run(TripletLoss.create().withMiner(BatchHardMiner.create()).withReduction(Reduction.NONE))
      .shouldMatch(listOf(0.0, 0.0, s13 - 1, s13 - 1), "batch-hard", atol = 1e-6)
    // the same triplets given as tuples, and as the pairs a pair miner returns (combined into triplets)
    val viaTuples = Tf.eager { tf ->
      val e = Tf.constant(tf, small)
      val t = IndexTriplets(tf.constant(intArrayOf(2, 3)), tf.constant(intArrayOf(3, 2)), tf.constant(intArrayOf(1, 0)))
      TripletLoss.create().withReduction(Reduction.NONE).call(tf, e, t)
    }
    viaTuples.shouldMatch(listOf(s13 - s5 + 1, s13 - 2), "explicit index triplets")
    val viaPairs = Tf.eager { tf ->
      val e = Tf.constant(tf, small)
      TripletLoss.create().withReduction(Reduction.NONE).call(tf, e, AllPairsMiner.create().mine(tf, e, tf.constant(smallLabels)))
    }
    viaPairs.shouldMatch(all, "all pairs combined into triplets", atol = 1e-6)
    // no valid triplet (every label different): MEAN and SUM are 0, NONE is empty
    val none = Tf.eager { tf -> TripletLoss.create().call(tf, Tf.constant(tf, small), tf.constant(intArrayOf(0, 1, 2, 3))) }
    none.shouldMatch(listOf(0.0), "no triplet")
    Tf.eager { tf -> TripletLoss.create().withReduction(Reduction.NONE).call(tf, Tf.constant(tf, small), tf.constant(intArrayOf(0, 1, 2, 3))) }
      .shouldMatch(emptyList(), "no triplet, NONE")
  }

  test("gradients match finite differences of plain-double references: explicit, batch-hard, batch-all, soft margin") {
    val rnd = kotlin.random.Random(11)
    val inputs = listOf(randomMat(rnd, 4, 3), randomMat(rnd, 4, 3), randomMat(rnd, 4, 3))
    val explicitCases = listOf(
      TripletLoss.create() to { ap: Double, an: Double -> max(0.0, ap - an + 1.0) },
      TripletLoss.create().withSquaredDistance(true).withMargin(0.3f) to { ap: Double, an: Double -> max(0.0, ap - an + 0.3) },
      TripletLoss.create().withSoftMargin(true) to { ap: Double, an: Double -> Ref.softplus(ap - an) },
    )
    for ((loss, violation) in explicitCases) {
      val dist: (DoubleArray, DoubleArray) -> Double = if (loss.squaredDistance()) Ref::sqDist else Ref::torchDist
      Tf.checkGradients(inputs, reference = { (a, p, q) ->
        (0 until 4).map { i -> violation(dist(a.row(i), p.row(i)), dist(a.row(i), q.row(i))) }.average()
      }) { tf, (a, p, q) -> loss.call(tf, a, p, q) }
    }
    // the matrix form of the Euclidean distance: sqrt(max(|x - y|^2, 1e-12))
    fun dm(e: Host, i: Int, j: Int) = sqrt(max(Ref.sqDist(e.row(i), e.row(j)), 1e-12))
    val batch = randomMat(rnd, 6, 3)
    Tf.checkGradients(listOf(batch), reference = { (e) ->
      (0 until n).mapNotNull { a ->
        val pos = (0 until n).filter { it != a && labels[it] == labels[a] }
        val neg = (0 until n).filter { labels[it] != labels[a] }
        if (pos.isEmpty()) null else max(0.0, pos.maxOf { dm(e, a, it) } - neg.minOf { dm(e, a, it) } + 1.0)
      }.average()
    }) { tf, (e) -> TripletLoss.create().withMiner(BatchHardMiner.create()).call(tf, e, tf.constant(labels)) }
    Tf.checkGradients(listOf(batch), reference = { (e) ->
      val all = mutableListOf<Double>()
      for (a in 0 until n) for (p in 0 until n) for (q in 0 until n) {
        if (a != p && labels[a] == labels[p] && labels[q] != labels[a]) all += max(0.0, dm(e, a, p) - dm(e, a, q) + 1.0)
      }
      all.average()
    }) { tf, (e) -> TripletLoss.create().withMiner(BatchAllMiner.create()).call(tf, e, tf.constant(labels)) }
  }

  test("gradients at identical triplets, zero vectors and margin 0 have their hand-derived values") {
    // rows (1,2) and (0,0), anchor = positive = negative: d(a,p) = d(a,n) = sqrt(2) * 1e-6, with
    // dd/da = 1/sqrt(2) per component (the eps of pairwise_distance), -1/sqrt(2) for p or n.
    // Mean over 2 rows of f(d(a,p) - d(a,n)): da gets f' (1/sqrt2 - 1/sqrt2)/2 = 0, dp -f'/(2 sqrt2),
    // dn +f'/(2 sqrt2), with f' = 0 for margin 0 (relu at 0 passes nothing), 1 for margin 1, 1/2
    // for the soft margin (softplus'(0)).
    val same = mat(f(1, 2), f(0, 0))
    val r2 = sqrt(2.0)
    for ((loss, slope) in listOf(TripletLoss.create().withMargin(0f) to 0.0, TripletLoss.create() to 1.0, TripletLoss.create().withSoftMargin(true) to 0.5)) {
      val g = Tf.gradients(listOf(same, same.copy(), same.copy())) { tf, (a, p, q) -> loss.call(tf, a, p, q) }
      g[0].shouldMatch(List(4) { 0.0 }, "$loss d/da", atol = 1e-6)
      g[1].shouldMatch(List(4) { -slope / (2 * r2) }, "$loss d/dp")
      g[2].shouldMatch(List(4) { slope / (2 * r2) }, "$loss d/dn")
    }
    // duplicates: classes {(1,1), (1,1)} and {(0,0), (0,0)}, margin 2 so every anchor's triplet is
    // active. The hardest positive is the twin at the 1e-12 clamp (no gradient); the two negatives
    // tie at sqrt(2) and the miner takes the first: rows 0 and 1 take row 2, rows 2 and 3 take row
    // 0. Each anchor's d(a,n) carries -1/4 (the mean over 4), and dd(a,n)/da = (a - n)/sqrt(2):
    // row 0 gets -1/4 from its own triplet and -1/4 from each of rows 2 and 3's: -3/(4 sqrt2); row 1
    // -1/(4 sqrt2); row 2 +3/(4 sqrt2); row 3 +1/(4 sqrt2).
    val dup = mat(f(1, 1), f(1, 1), f(0, 0), f(0, 0))
    val g = Tf.gradients(listOf(dup)) { tf, (e) ->
      TripletLoss.create().withMargin(2f).withMiner(BatchHardMiner.create()).call(tf, e, tf.constant(intArrayOf(0, 0, 1, 1)))
    }
    g[0].shouldMatch(listOf(-3.0, -3.0, -1.0, -1.0, 3.0, 3.0, 1.0, 1.0).map { it / (4 * r2) }, "batch-hard gradient with duplicate embeddings")
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
    shouldThrow<IllegalArgumentException> { TripletLoss.create().withMargin(-0.1f) }.message.let { it shouldContain "margin"; it shouldContain "-0.1" }
    shouldThrow<IllegalArgumentException> { TripletLoss.create().withMiner(null) }.message shouldContain "miner"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.constant(tf, anchor), Tf.constant(tf, positive), Tf.constant(tf, mat(f(1, 2))))
      }.message.let { it shouldContain "'negative'"; it shouldContain "[3, 2]"; it shouldContain "[1, 2]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.constant(tf, emb), tf.constant(intArrayOf(0, 1)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[2]"; it shouldContain "[6, 2]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, tf.constant(f(1, 2)), tf.constant(intArrayOf(0, 1)))
      }.message.let { it shouldContain "'embeddings'"; it shouldContain "rank 2"; it shouldContain "[2]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 2))
      }.message.let { it shouldContain "'negative'"; it shouldContain "[4, 3]"; it shouldContain "[4, 2]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 5, 3), Tf.placeholder(tf, 4, 3))
      }.message.let { it shouldContain "'positive'"; it shouldContain "[5, 3]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.placeholder(tf, 6, 3), tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(5))))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[5]"; it shouldContain "[6, 3]" }
      shouldThrow<IllegalArgumentException> {
        TripletLoss.create().call(tf, Tf.placeholder(tf, 0, 3), tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(0))))
      }.message.let { it shouldContain "empty"; it shouldContain "[0, 3]" }
    }
    TripletLoss.create().withSquaredDistance(true).squaredDistance() shouldBe true
    TripletLoss.create().toString() shouldContain "miner=batchAll"
  }
})
