package io.github.kontrast.losses

import io.github.kontrast.losses.distances.*
import io.github.kontrast.losses.miners.*
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.max
import kotlin.math.sqrt
import org.tensorflow.types.TFloat32

class ContrastiveLossSpec : FunSpec({
  // document 000: flag 0 = same, margin 2.0, no 1/2, one flag for the whole batch, PyTorch's pairwise_distance
  val doc000 = ContrastiveLoss.create()
    .withMargin(2.0f)
    .withConvention(PairConvention.ONE_MEANS_DISSIMILAR)
    .withHalfFactor(false)
  val y1 = mat(f(1, 2, 3), f(3, 4, 5))
  val y3 = mat(f(10, 20, 30), f(30, 40, 50))

  fun doc000(a: Arr, b: Arr, flag: Int) =
    Tf.eagerScalar { tf -> doc000.call(tf, Tf.constant(tf, a), Tf.constant(tf, b), tf.constant(flag)) }

  test("document 000 prints 0.0, 4.0, 2591.99, 0.0") {
    // identical rows are sqrt(3)*1e-6 apart (PyTorch's eps), so "0.0" is ~3e-12 and "4.0" is (2 - 1.7e-6)^2
    doc000(y1, y1.copy(), 0) shouldBe (0f plusOrMinus 1e-6f)
    doc000(y1, y1.copy(), 1) shouldBe (4f plusOrMinus 1e-4f)
    // (1134 + 4050) / 2 = 2592 without eps; the eps shrinks each difference by 1e-6: 2591.99984,
    // which PyTorch prints as 2591.9998 and the post truncates to 2591.99
    val far = doc000(y1, y3, 0)
    far shouldBe (2591.9998f plusOrMinus 2e-3f)
    (far >= 2591.99f && far < 2592.0f) shouldBe true
    doc000(y1, y3, 1) shouldBe 0f
  }

  test("document 002 (Wolfram, margin 0.5 on distances, Target True = maximize): 0.16, 0, 0.01") {
    val wolfram = ContrastiveLoss.create().withMargin(0.5f).withConvention(PairConvention.ONE_MEANS_DISSIMILAR)
    fun layer(d: Float, target: Boolean) =
      Tf.eagerScalar { tf -> wolfram.callOnDistance(tf, tf.constant(floatArrayOf(d)), tf.constant(if (target) 1f else 0f)) }
    layer(0.1f, true) shouldBe (0.16f plusOrMinus 1e-6f)
    layer(0.6f, true) shouldBe 0f
    layer(0.1f, false) shouldBe (0.01f plusOrMinus 1e-7f)
    // the list form: one loss per input
    val each = Tf.eager { tf ->
      wolfram.withReduction(Reduction.NONE)
        .callOnDistance(tf, tf.constant(f(0.1, 0.6, 0.1)), tf.constant(booleanArrayOf(true, true, false)).let { tf.dtypes.cast(it, TFloat32::class.java) })
    }
    each.shouldMatch(listOf(0.16, 0.0, 0.01), "per input")
  }

  test("hand-derived: each convention, half factor, plain terms, reductions") {
    val x1 = mat(f(0, 0), f(1, 1), f(3, 0))
    val x2 = mat(f(0.3, 0.4), f(1, 1), f(0, 4))
    val labels = floatArrayOf(1f, 0f, 0f)
    val d = (0 until 3).map { sqrt(x1.row(it).indices.sumOf { k -> val t = x1.row(it)[k] - x2.row(it)[k] + 1e-6; t * t }) }
    // d = 0.5, ~0, 5
    fun expected(similarIsOne: Boolean, half: Boolean, squared: Boolean, m: Double): List<Double> =
      labels.indices.map { i ->
        val similar = if (similarIsOne) labels[i] == 1f else labels[i] == 0f
        val gap = max(0.0, m - d[i])
        val v = if (similar) (if (squared) d[i] * d[i] else d[i]) else (if (squared) gap * gap else gap)
        if (half) v / 2 else v
      }
    for (conv in PairConvention.entries) for (half in listOf(false, true)) for (sq in listOf(true, false)) {
      val loss = ContrastiveLoss.create().withConvention(conv).withHalfFactor(half).withSquaredTerms(sq)
        .withMargin(1.5f)
      val exp = expected(conv == PairConvention.ONE_MEANS_SIMILAR, half, sq, 1.5)
      val none = Tf.eagerOn(listOf(x1, x2, vec(*labels))) { tf, (a, b, y) -> loss.withReduction(Reduction.NONE).call(tf, a, b, y) }
      none.shouldMatch(exp, "$conv half=$half squared=$sq")
      val mean = Tf.eagerOn(listOf(x1, x2, vec(*labels))) { tf, (a, b, y) -> loss.call(tf, a, b, y) }[0]
      (mean near exp.average()) shouldBe true
      val sum = Tf.eagerOn(listOf(x1, x2, vec(*labels))) { tf, (a, b, y) -> loss.withReduction(Reduction.SUM).call(tf, a, b, y) }[0]
      (sum near exp.sum()) shouldBe true
    }
  }

  test("integer labels and graph mode give the eager values") {
    val x1 = mat(f(0, 1), f(2, 2))
    val x2 = mat(f(1, 1), f(2, 0))
    val loss = ContrastiveLoss.create()
    val eager = Tf.eager { tf -> loss.call(tf, Tf.constant(tf, x1), Tf.constant(tf, x2), tf.constant(intArrayOf(1, 0))) }[0]
    val graph = Tf.graphLoss(listOf(x1, x2, vec(1f, 0f))) { tf, (a, b, y) -> loss.call(tf, a, b, y) }
    // d = 1 (similar: 1) and 2 (dissimilar, margin 1: 0) -> mean 0.5
    eager shouldBe (0.5f plusOrMinus 1e-5f)
    graph shouldBe (eager plusOrMinus 1e-6f)
  }

  test("gradients match finite differences of a plain-double reference") {
    val rnd = kotlin.random.Random(7)
    for (conv in PairConvention.entries) for (half in listOf(false, true)) for (sq in listOf(true, false)) {
      val loss = ContrastiveLoss.create().withConvention(conv).withHalfFactor(half).withSquaredTerms(sq).withMargin(2f)
      Tf.checkGradients(
        listOf(randomMat(rnd, 4, 3), randomMat(rnd, 4, 3), vec(1f, 0f, 1f, 0f)), wrt = listOf(0, 1),
        reference = { (a, b, y) ->
          (0 until 4).map { i ->
            val d = Ref.torchDist(a.row(i), b.row(i))
            val similar = (y.at(i) == 1.0) == (conv == PairConvention.ONE_MEANS_SIMILAR)
            val gap = Ref.relu(2.0 - d)
            val v = if (similar) (if (sq) d * d else d) else (if (sq) gap * gap else gap)
            if (half) v / 2 else v
          }.average()
        },
      ) { tf, (a, b, y) -> loss.call(tf, a, b, tf.stopGradient(y)) }
    }
  }

  test("gradients at identical pairs, zero vectors and margin 0 have their hand-derived values") {
    // both rows are identical pairs (the second of zero vectors): each component of the difference
    // is PyTorch's eps, so d = sqrt(3) * 1e-6 and dd/dx1 = eps / d = 1/sqrt(3) per component
    // (-1/sqrt(3) for x2). Mean over 2 rows: a similar row gives (1/2) * 2d / sqrt(3) = 1e-6, a
    // dissimilar one (1/2) * -2 max(0, m - d) / sqrt(3): -(1 - d)/sqrt(3) for m = 1, 0 for m = 0.
    val same = mat(f(1, 2, 3), f(0, 0, 0))
    val d = sqrt(3.0) * 1e-6
    for (conv in PairConvention.entries) for (m in listOf(0f, 1f)) {
      val loss = ContrastiveLoss.create().withConvention(conv).withMargin(m)
      val labels = vec(0f, 1f)
      val g = Tf.gradients(listOf(same, same.copy(), labels), wrt = listOf(0, 1)) { tf, (a, b, y) -> loss.call(tf, a, b, tf.stopGradient(y)) }
      val perRow = (0 until 2).map { r ->
        val similar = (labels.data[r] == 1f) == (conv == PairConvention.ONE_MEANS_SIMILAR)
        if (similar) d / sqrt(3.0) else -max(0.0, m - d) / sqrt(3.0)
      }
      val expected = perRow.flatMap { v -> List(3) { v } }
      g[0].shouldMatch(expected, "d/dx1 ($conv, margin $m)")
      g[1].shouldMatch(expected.map { -it }, "d/dx2 ($conv, margin $m)")
    }
  }

  test("property: non-negative for any embeddings, labels and margin") {
    checkAll(30, Arb.long(), Arb.int(1, 6), Arb.float(0f..3f, includeNaNs = false)) { seed, b, m ->
      val rnd = kotlin.random.Random(seed)
      val labels = Arr(longArrayOf(b.toLong()), FloatArray(b) { rnd.nextInt(2).toFloat() })
      val values = Tf.eagerOn(listOf(randomMat(rnd, b, 3, 3f), randomMat(rnd, b, 3, 3f), labels)) { tf, (x, y, l) ->
        ContrastiveLoss.create().withMargin(m).withReduction(Reduction.NONE).call(tf, x, y, l)
      }
      values.forEach { (it >= 0f) shouldBe true }
    }
  }

  test("bad input: negative margin, similarity distance, shapes, labels, empty batch") {
    shouldThrow<IllegalArgumentException> { ContrastiveLoss.create().withMargin(-1f) }.message.let { it shouldContain "margin"; it shouldContain "-1.0" }
    shouldThrow<IllegalArgumentException> { ContrastiveLoss.create().withMargin(Float.NaN) }.message.let { it shouldContain "margin"; it shouldContain "NaN" }
    shouldThrow<IllegalArgumentException> { ContrastiveLoss.create().withDistance(Distances.cosine()) }.message.let { it shouldContain "distance"; it shouldContain "cosine" }
    shouldThrow<IllegalArgumentException> { ContrastiveLoss.create().withConvention(null) }.message shouldContain "convention"
    val loss = ContrastiveLoss.create()
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.constant(tf, mat(f(1, 2))), Tf.constant(tf, mat(f(1, 2, 3))), tf.constant(1f))
      }.message.let { it shouldContain "'x1'"; it shouldContain "[1, 2]"; it shouldContain "[1, 3]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, tf.constant(f(1, 2)), tf.constant(f(1, 2)), tf.constant(1f))
      }.message.let { it shouldContain "'x1'"; it shouldContain "rank 2"; it shouldContain "[2]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.constant(tf, mat(f(1, 2), f(3, 4))), Tf.constant(tf, mat(f(1, 2), f(3, 4))), tf.constant(f(1, 0, 1)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[3]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.constant(tf, mat(f(1, 2))), Tf.constant(tf, mat(f(1, 2))), tf.constant(2f))
      }.message.let { it shouldContain "'labels'"; it shouldContain "2.0" }
      shouldThrow<IllegalArgumentException> {
        val empty = Arr(longArrayOf(0, 2), FloatArray(0))
        loss.call(tf, Tf.constant(tf, empty), Tf.constant(tf, empty), tf.constant(1f))
      }.message.let { it shouldContain "'x1'"; it shouldContain "empty"; it shouldContain "[0, 2]" }
      tf.constant(0f)
    }
  }

  test("bad input in a graph: placeholders of known shape fail when the graph is built") {
    val loss = ContrastiveLoss.create()
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 2), Tf.placeholder(tf, 4))
      }.message.let { it shouldContain "'x1'"; it shouldContain "'x2'"; it shouldContain "[4, 3]"; it shouldContain "[4, 2]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 5))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[5]"; it shouldContain "[4, 3]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 3), Tf.placeholder(tf, 4, 1))
      }.message.let { it shouldContain "'labels'"; it shouldContain "rank 1"; it shouldContain "[4, 1]" }
      shouldThrow<IllegalArgumentException> {
        loss.callOnDistance(tf, Tf.placeholder(tf, 4, 1), Tf.placeholder(tf, 4))
      }.message.let { it shouldContain "'distance'"; it shouldContain "rank 1"; it shouldContain "[4, 1]" }
      shouldThrow<IllegalArgumentException> {
        loss.call(tf, Tf.placeholder(tf, 0, 3), Tf.placeholder(tf, 0, 3), Tf.placeholder(tf, 0))
      }.message.let { it shouldContain "empty"; it shouldContain "[0, 3]" }
      // an unknown batch size cannot be checked before the graph runs: building succeeds
      loss.call(tf, Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1, 3), Tf.placeholder(tf, -1))
    }
  }

  test("constant labels in a graph are checked when the graph is built") {
    org.tensorflow.Graph().use { g ->
      val tf = org.tensorflow.op.Ops.create(g)
      val d = tf.placeholder(TFloat32::class.java, org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)))
      shouldThrow<IllegalArgumentException> {
        ContrastiveLoss.create().callOnDistance(tf, d, tf.constant(intArrayOf(0, 1, 2)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "element 2 is 2.0" }
      // a fed label tensor cannot be checked before it arrives: building succeeds
      val fed = tf.placeholder(TFloat32::class.java)
      ContrastiveLoss.create().callOnDistance(tf, d, fed)
      ContrastiveLoss.create().callOnDistance(tf, d, tf.constant(intArrayOf(0, 1, 1)))
    }
  }

  // a small batch: points (0,0), (1,0) of class 0 and (0,2), (3,0) of class 1. Euclidean
  // distances: d01 = 1, d02 = 2, d03 = 3, d12 = sqrt(5), d13 = 2, d23 = sqrt(13)
  val small = mat(f(0, 0), f(1, 0), f(0, 2), f(3, 0))
  val smallLabels = intArrayOf(0, 0, 1, 1)

  test("PML form on a hand-checked batch: every pair, the mined ones, or tuples a miner returned") {
    val s5 = sqrt(5.0)
    val s13 = sqrt(13.0)
    // positive pairs (0,1), (1,0), (2,3), (3,2): d^2 = 1, 1, 13, 13; negative pairs (0,2), (0,3),
    // (1,2), (1,3), (2,0), (2,1), (3,0), (3,1) at 2, 3, sqrt5, 2, 2, sqrt5, 3, 2, margin 2.5:
    // max(0, 2.5 - d)^2 = 0.25, 0, (2.5 - sqrt5)^2, 0.25, 0.25, (2.5 - sqrt5)^2, 0, 0.25
    val g5 = (2.5 - s5) * (2.5 - s5)
    val perPair = listOf(1.0, 1.0, 13.0, 13.0, 0.25, 0.0, g5, 0.25, 0.25, g5, 0.0, 0.25)
    val loss = ContrastiveLoss.create().withMargin(2.5f)
    fun run(l: ContrastiveLoss) = Tf.eager { tf -> l.call(tf, Tf.constant(tf, small), tf.constant(smallLabels)) }
    run(loss.withReduction(Reduction.NONE)).shouldMatch(perPair, "every pair", atol = 1e-6)
    run(loss).shouldMatch(listOf(perPair.average()), "mean over every pair")
    run(loss.withHalfFactor(true).withReduction(Reduction.SUM)).shouldMatch(listOf(perPair.sum() / 2), "half factor, sum")
    // unsquared (PML's default form): d for positives, max(0, 2.5 - d) for negatives
    run(loss.withSquaredTerms(false).withReduction(Reduction.NONE))
      .shouldMatch(listOf(1.0, 1.0, s13, s13, 0.5, 0.0, 2.5 - s5, 0.5, 0.5, 2.5 - s5, 0.0, 0.5), "unsquared", atol = 1e-6)
    // mined: batch-hard triplets (0,1,2), (1,0,3), (2,3,0), (3,2,1) as pairs: positives 1, 1, 13, 13,
    // negatives at 2, 2, 2, 2
    run(loss.withMiner(BatchHardMiner.create()).withReduction(Reduction.NONE))
      .shouldMatch(listOf(1.0, 1.0, 13.0, 13.0, 0.25, 0.25, 0.25, 0.25), "batch-hard pairs", atol = 1e-6)
    // explicit index pairs: one positive (2,3) and one negative (1,2)
    Tf.eager { tf ->
      val pairs = IndexPairs(tf.constant(intArrayOf(2)), tf.constant(intArrayOf(3)), tf.constant(intArrayOf(1)), tf.constant(intArrayOf(2)))
      loss.withReduction(Reduction.NONE).call(tf, Tf.constant(tf, small), pairs)
    }.shouldMatch(listOf(13.0, g5), "explicit index pairs")
    // a batch of one class has no negative pair: only the pulls count
    Tf.eager { tf -> loss.call(tf, Tf.constant(tf, small), tf.constant(intArrayOf(5, 5, 5, 5))) }
      .shouldMatch(listOf((1.0 + 4 + 9 + 5 + 4 + 13) * 2 / 12), "one class: mean of the 12 squared distances")
  }

  test("PML form: gradients match finite differences of a plain-double reference") {
    val rnd = kotlin.random.Random(23)
    val e = randomMat(rnd, 5, 3)
    val classes = intArrayOf(0, 1, 0, 1, 1)
    Tf.checkGradients(listOf(e), reference = { (x) ->
      val values = mutableListOf<Double>()
      fun d(i: Int, j: Int) = sqrt(max(Ref.sqDist(x.row(i), x.row(j)), 1e-12))
      for (i in 0 until 5) for (j in 0 until 5) if (i != j && classes[i] == classes[j]) values += d(i, j) * d(i, j)
      for (i in 0 until 5) for (j in 0 until 5) if (classes[i] != classes[j]) values += max(0.0, 1.5 - d(i, j)).let { it * it }
      values.average()
    }) { tf, (x) -> ContrastiveLoss.create().withMargin(1.5f).call(tf, x, tf.constant(classes)) }
  }

  test("getters and toString show the options") {
    val l = ContrastiveLoss.create().withMargin(2f).withHalfFactor(true)
    l.margin() shouldBe 2f
    l.halfFactor() shouldBe true
    l.convention() shouldBe PairConvention.ONE_MEANS_SIMILAR
    l.distance().name() shouldBe "euclidean"
    l.reduction() shouldBe Reduction.MEAN
    l.toString() shouldContain "margin=2.0"
    l.toString() shouldContain "miner=allPairs"
  }
})
