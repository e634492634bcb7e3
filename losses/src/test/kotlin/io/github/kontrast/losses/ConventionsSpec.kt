package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.miners.*
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.math.max
import kotlin.math.sqrt

/**
 * Every row of docs/conventions.md: the source's formula, written here as the source writes it (its
 * own label meaning), against the Kontrast one-liner the table gives for it.
 */
class ConventionsSpec : FunSpec({
  val rnd = kotlin.random.Random(17)
  val x1 = randomMat(rnd, 6, 3)
  val x2 = randomMat(rnd, 6, 3)
  val y = vec(1f, 0f, 1f, 1f, 0f, 0f)
  val dim = 3

  fun torchDist(a: DoubleArray, b: DoubleArray) = Ref.torchDist(a, b)
  val d = (0 until 6).map { torchDist(x1.row(it), x2.row(it)) }
  val labels = y.data.map { it.toDouble() }

  fun perPair(loss: ContrastiveLoss, a: Arr = x1, b: Arr = x2) =
    Tf.eagerOn(listOf(a, b, y)) { tf, (p, q, l) -> loss.withReduction(Reduction.NONE).call(tf, p, q, l) }

  fun onDistance(loss: ContrastiveLoss, dist: List<Double>) =
    Tf.eagerOn(listOf(Arr(longArrayOf(6), dist.map { it.toFloat() }.toFloatArray()), y)) { tf, (p, l) ->
      loss.withReduction(Reduction.NONE).callOnDistance(tf, p, l)
    }

  fun check(name: String, got: FloatArray, expected: List<Double>) = got.shouldMatch(expected, name)

  val c = ContrastiveLoss.create()
  val dis = PairConvention.ONE_MEANS_DISSIMILAR

  test("Hadsell 2006: Y = 1 dissimilar, 1/2 factors, margin m") {
    val m = 1.5
    check("hadsell", perPair(c.withConvention(dis).withHalfFactor(true).withMargin(m.toFloat())),
      labels.indices.map { (1 - labels[it]) * 0.5 * d[it] * d[it] + labels[it] * 0.5 * max(0.0, m - d[it]).let { g -> g * g } })
  }

  test("Keras siamese_contrastive: (1 - y) * pred^2 + y * max(1 - pred, 0)^2 on the sigmoid score") {
    val score = listOf(0.1, 0.9, 0.5, 0.99, 0.3, 0.7)
    check("keras", onDistance(c.withConvention(dis), score),
      labels.indices.map { (1 - labels[it]) * score[it] * score[it] + labels[it] * max(1 - score[it], 0.0).let { g -> g * g } })
  }

  test("TF Addons: y * d^2 + (1 - y) * max(1 - d, 0)^2") {
    val tfa = labels.indices.map { labels[it] * d[it] * d[it] + (1 - labels[it]) * max(1.0 - d[it], 0.0).let { g -> g * g } }
    check("tfa on distances", onDistance(c, d), tfa)
    check("tfa on embeddings", perPair(c), tfa)
  }

  test("PyTorch Metric Learning: relu(d - 0) for positives, relu(1 - d) for negatives, normalised embeddings") {
    fun normalized(a: Arr) = Arr(a.shape, FloatArray(a.data.size) { val r = it / dim; (a.row(r)[it % dim] / Ref.norm(a.row(r))).toFloat() })
    val n1 = normalized(x1)
    val n2 = normalized(x2)
    val dn = (0 until 6).map { torchDist(n1.row(it), n2.row(it)) }
    check("pml", perPair(c.withSquaredTerms(false), n1, n2),
      labels.indices.map { if (labels[it] == 1.0) max(0.0, dn[it]) else max(0.0, 1.0 - dn[it]) })
  }

  test("Wolfram and document 002: Target True -> max(0, 0.5 - d)^2, False -> d^2") {
    check("wolfram", onDistance(c.withConvention(dis).withMargin(0.5f), d),
      labels.indices.map { if (labels[it] == 1.0) max(0.0, 0.5 - d[it]).let { g -> g * g } else d[it] * d[it] })
  }

  test("document 000: flag 0 = same -> d^2, flag 1 -> max(0, 2 - d)^2") {
    check("doc000", perPair(c.withConvention(dis).withMargin(2f)),
      labels.indices.map { if (labels[it] == 0.0) d[it] * d[it] else max(0.0, 2.0 - d[it]).let { g -> g * g } })
  }

  test("document 001: y/2 * d^2 + (1 - y)/2 * max(0, 1 - d)^2") {
    check("doc001", perPair(c.withHalfFactor(true)),
      labels.indices.map { labels[it] / 2 * d[it] * d[it] + (1 - labels[it]) / 2 * max(0.0, 1 - d[it]).let { g -> g * g } })
  }

  test("document 003: (1 - label) * d^2 + label * max(1 - d, 0)^2, and the anchor-vs-batch variant") {
    check("doc003", perPair(c.withConvention(dis)),
      labels.indices.map { (1 - labels[it]) * d[it] * d[it] + labels[it] * max(1 - d[it], 0.0).let { g -> g * g } })
    // anchor-vs-batch: the anchor's distances to each row, summed and divided by N (= MEAN)
    val anchor = x1.row(0)
    val dAnchor = (0 until 6).map { torchDist(anchor, x2.row(it)) }
    val expected = labels.indices.sumOf { if (labels[it] == 0.0) dAnchor[it] * dAnchor[it] else max(0.0, 1 - dAnchor[it]).let { g -> g * g } } / 6
    val anchors = Arr(longArrayOf(6, 3), FloatArray(18) { x1.data[it % 3] })
    val got = Tf.eagerOn(listOf(anchors, x2, y)) { tf, (a, b, l) -> c.withConvention(dis).call(tf, a, b, l) }[0]
    (got near expected) shouldBe true
  }

  test("document 004: label * d^2 + (1 - label) * relu(1 - d)^2 is the default") {
    check("doc004", perPair(c),
      labels.indices.map { labels[it] * d[it] * d[it] + (1 - labels[it]) * max(0.0, 1 - d[it]).let { g -> g * g } })
  }

  test("the defaults table of docs/conventions.md") {
    ContrastiveLoss.create().let {
      listOf(it.margin(), it.convention(), it.halfFactor(), it.squaredTerms(), it.distance(), it.miner(), it.reduction()) shouldBe
        listOf(1f, PairConvention.ONE_MEANS_SIMILAR, false, true, Distances.euclidean(), AllPairsMiner.create(), Reduction.MEAN)
    }
    TripletLoss.create().let {
      listOf(it.margin(), it.distance(), it.softMargin(), it.miner(), it.reduction()) shouldBe
        listOf(1f, Distances.euclidean(), false, BatchAllMiner.create(), Reduction.MEAN)
    }
    listOf(InfoNceLoss.create().temperature(), NtXentLoss.create().temperature(), SupConLoss.create().temperature(),
      MocoLoss.create().temperature(), SwavLoss.create().temperature()) shouldBe listOf(0.07f, 0.5f, 0.07f, 0.2f, 0.1f)
    listOf(InfoNceLoss.create().distance(), NtXentLoss.create().distance(), SupConLoss.create().distance(),
      MocoLoss.create().distance(), ClipLoss.create().distance()) shouldBe List(5) { Distances.cosine() }
    MocoLoss.create().twoTemperatureScaling() shouldBe false
    ClipLoss.create().maxLogitScale() shouldBe 100f
    (ClipLoss.INITIAL_LOG_LOGIT_SCALE.toDouble() - kotlin.math.ln(1 / 0.07)).let { kotlin.math.abs(it) < 1e-6 } shouldBe true
    listOf(SwavLoss.create().epsilon(), SwavLoss.create().iterations().toFloat()) shouldBe listOf(0.05f, 3f)
    HardNegativeMiner.create() shouldBe HardNegativeMiner(10, Distances.dot())
    SemiHardNegativeMiner.create() shouldBe SemiHardNegativeMiner(0.3f, Distances.squaredEuclidean())
    BatchHardMiner.create() shouldBe BatchHardMiner(Distances.euclidean())
    listOf(NegativeCosineLoss.create().reduction(), ClipLoss.create().reduction(), SwavLoss.create().reduction()) shouldBe
      List(3) { Reduction.MEAN }
  }
})
