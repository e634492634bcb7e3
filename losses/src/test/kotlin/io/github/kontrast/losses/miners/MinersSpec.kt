package io.github.kontrast.losses.miners

import io.github.kontrast.losses.*
import io.github.kontrast.losses.distances.Distances

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.types.TInt32
import kotlin.math.max

class MinersSpec : FunSpec({
  val anchors = mat(f(1, 0), f(0, 1))
  val candidates = mat(f(0.9, 0.1), f(-1, 0), f(0.5, 0.5), f(0, 2), f(0.1, 0.8))

  fun ints(block: (org.tensorflow.op.Ops) -> org.tensorflow.Operand<TInt32>): IntArray =
    org.tensorflow.EagerSession.create().use { s ->
      val t = block(org.tensorflow.op.Ops.create(s)).asTensor()
      IntArray(t.size().toInt()).also { out -> t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false)) }
    }

  test("hard negatives: the k most similar candidates by dot product, in order") {
    val idx = ints { tf -> HardNegativeMiner.create().withK(2).indices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates)) }
    // anchor (1,0): dots 0.9, -1, 0.5, 0, 0.1 -> 0, 2 ; anchor (0,1): 0.1, 0, 0.5, 2, 0.8 -> 3, 4
    idx.toList() shouldBe listOf(0, 2, 3, 4)
    val rows = Tf.eagerOn(listOf(anchors, candidates)) { tf, (a, c) -> HardNegativeMiner.create().withK(2).mine(tf, a, c) }
    rows.toList() shouldBe f(0.9, 0.1, 0.5, 0.5, 0, 2, 0.1, 0.8).toList()
  }

  test("hard negatives with a distance pick the smallest distances") {
    val idx = ints { tf ->
      HardNegativeMiner.create().withK(1).withDistance(Distances.euclidean()).indices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates))
    }
    // nearest to (1,0) is (0.9,0.1); nearest to (0,1) is (0.1,0.8)
    idx.toList() shouldBe listOf(0, 4)
  }

  test("hard negatives feed InfoNCE and the gradient reaches the mined rows") {
    val q = mat(f(1, 0), f(0, 1))
    val g = Tf.gradients(listOf(q, q.copy(), candidates)) { tf, (query, key, c) ->
      InfoNceLoss.create().call(tf, query, key, HardNegativeMiner.create().withK(2).mine(tf, query, c))
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
    }) { tf, (query, key, c) -> InfoNceLoss.create().call(tf, query, key, HardNegativeMiner.create().withK(2).mine(tf, query, c)) }
  }

  test("semi-hard: closest negative farther than the positive within the margin, else the hardest") {
    val a = mat(f(0, 0), f(0, 0))
    val p = mat(f(1, 0), f(0, 0.1))
    // squared distances to a: 0.25, 1.21, 1.44, 4, 0.01
    val c = mat(f(0.5, 0), f(1.1, 0), f(0, 1.2), f(2, 0), f(0.1, 0))
    val idx = ints { tf -> SemiHardNegativeMiner.create().withMargin(0.5f).indices(tf, Tf.constant(tf, a), Tf.constant(tf, p), Tf.constant(tf, c)) }
    // row 0: d(a,p) = 1; semi-hard band (1, 1.5): candidates 1 (1.21) and 2 (1.44) -> closest is 1
    // row 1: d(a,p) = 0.01; band (0.01, 0.51): candidate 0 (0.25) -> 0
    idx.toList() shouldBe listOf(1, 0)
    val fallback = ints { tf -> SemiHardNegativeMiner.create().withMargin(0.1f).indices(tf, Tf.constant(tf, a), Tf.constant(tf, mat(f(3, 0), f(3, 0))), Tf.constant(tf, c)) }
    // d(a,p) = 9 is beyond every negative: no semi-hard one, fall back to the hardest (candidate 4, 0.01)
    fallback.toList() shouldBe listOf(4, 4)
    val rows = Tf.eagerOn(listOf(a, p, c)) { tf, (x, y, z) -> SemiHardNegativeMiner.create().withMargin(0.5f).mine(tf, x, y, z) }
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
      TripletLoss.create().withSquaredDistance(true).withMargin(0.3f).call(tf, a, p, SemiHardNegativeMiner.create().mine(tf, a, p, c))
    }
  }

  test("bad input: k larger than the candidates, mismatched sizes") {
    shouldThrow<IllegalArgumentException> { HardNegativeMiner.create().withK(0) }.message.let { it shouldContain "k"; it shouldContain "got 0" }
    shouldThrow<IllegalArgumentException> { HardNegativeMiner.create().withDistance(null) }.message shouldContain "distance"
    shouldThrow<IllegalArgumentException> { SemiHardNegativeMiner.create().withMargin(-0.5f) }.message.let { it shouldContain "margin"; it shouldContain "-0.5" }
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().withK(6).indices(tf, Tf.constant(tf, anchors), Tf.constant(tf, candidates))
      }.message.let { it shouldContain "k = 6"; it shouldContain "[5, 2]" }
      shouldThrow<IllegalArgumentException> {
        SemiHardNegativeMiner.create().indices(tf, Tf.constant(tf, anchors), Tf.constant(tf, anchors), Tf.constant(tf, mat(f(1, 2, 3))))
      }.message.let { it shouldContain "embedding sizes"; it shouldContain "[2, 2]"; it shouldContain "[1, 3]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().withK(6).indices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 5, 3))
      }.message.let { it shouldContain "k = 6"; it shouldContain "[5, 3]" }
      shouldThrow<IllegalArgumentException> {
        HardNegativeMiner.create().indices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 20, 4))
      }.message.let { it shouldContain "'candidates'"; it shouldContain "[2, 3]"; it shouldContain "[20, 4]" }
      shouldThrow<IllegalArgumentException> {
        SemiHardNegativeMiner.create().indices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, 3, 3), Tf.placeholder(tf, 5, 3))
      }.message.let { it shouldContain "'positive'"; it shouldContain "[2, 3]"; it shouldContain "[3, 3]" }
      // an unknown number of candidates is checked when the graph runs, not here
      HardNegativeMiner.create().withK(6).indices(tf, Tf.placeholder(tf, 2, 3), Tf.placeholder(tf, -1, 3))
    }
  }
})
