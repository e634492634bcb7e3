package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.exp
import kotlin.math.sqrt

class KnnSpec : FunSpec({
  fun matrix(rows: Int, d: Int, vararg v: Float) = FloatHostArray(v, intArrayOf(rows, d))

  /** The monitor computed the slow way, in doubles: every similarity, a full sort, then the votes. */
  fun bruteForce(train: FloatHostArray, labels: IntArray, queries: FloatHostArray, k: Int, t: Double): Pair<List<List<Int>>, IntArray> {
    val d = train.shape[1]
    fun unit(x: FloatHostArray, r: Int): DoubleArray {
      val v = DoubleArray(d) { x.data[r * d + it].toDouble() }
      val norm = sqrt(v.sumOf { it * it })
      return DoubleArray(d) { v[it] / norm }
    }
    val tr = Array(train.rows) { unit(train, it) }
    val neighbours = mutableListOf<List<Int>>()
    val predictions = IntArray(queries.rows) { q ->
      val u = unit(queries, q)
      val sims = DoubleArray(train.rows) { i -> (0 until d).sumOf { u[it] * tr[i][it] } }
      val order = sims.indices.sortedWith(compareByDescending<Int> { sims[it] }.thenBy { it }).take(minOf(k, train.rows))
      neighbours += order
      val votes = DoubleArray(labels.max() + 1)
      for (i in order) votes[labels[i]] += exp(sims[i] / t)
      votes.indices.maxByOrNull { votes[it] }!! // first maximum: the lowest label
    }
    return neighbours to predictions
  }

  test("neighbours and predictions match a brute-force computation on random data") {
    val r = SplittableRandom(4)
    val d = 16
    // five classes around five random centres, overlapping enough that the vote matters
    val centres = Array(5) { FloatArray(d) { r.nextGaussian().toFloat() } }
    fun sample(n: Int): Pair<FloatHostArray, IntArray> {
      val labels = IntArray(n) { r.nextInt(5) }
      val x = FloatArray(n * d) { centres[labels[it / d]][it % d] + 1.2f * r.nextGaussian().toFloat() }
      return FloatHostArray(x, intArrayOf(n, d)) to labels
    }
    val (train, labels) = sample(300)
    val (queries, _) = sample(100)
    for ((k, t) in listOf(20 to 0.1, 1 to 0.1, 50 to 0.5, 300 to 0.07)) {
      val knn = KnnClassifier.create().withK(k).withTemperature(t).withBlockSize(32)
      val (expectedNeighbours, expectedPredictions) = bruteForce(train, labels, queries, k, t)
      val nb = knn.neighbours(train, queries)
      nb.indices.map { it.toList() } shouldBe expectedNeighbours
      knn.predict(train, labels, queries).toList() shouldBe expectedPredictions.toList()
    }
    // the similarities are the cosines
    val nb = KnnClassifier.create().withK(3).neighbours(train, queries)
    val u = queries.data.copyOfRange(0, d).map { it.toDouble() }
    val v = train.data.copyOfRange(nb.indices[0][0] * d, (nb.indices[0][0] + 1) * d).map { it.toDouble() }
    val cos = u.indices.sumOf { u[it] * v[it] } / sqrt(u.sumOf { it * it } * v.sumOf { it * it })
    nb.similarities[0][0] shouldBe (cos.toFloat() plusOrMinus 1e-5f)
  }

  test("ties: equal neighbours rank by index, equal votes go to the lowest label") {
    // rows 0 and 1 are the same vector with labels 1 and 0; row 2 is orthogonal
    val train = matrix(3, 2, 1f, 0f, 2f, 0f, 0f, 1f)
    val labels = intArrayOf(1, 0, 1)
    val query = matrix(1, 2, 3f, 0f)
    val knn = KnnClassifier.create()
    knn.withK(1).neighbours(train, query).indices[0].toList() shouldBe listOf(0)
    knn.withK(1).predict(train, labels, query).toList() shouldBe listOf(1) // the lower index votes alone
    knn.withK(2).neighbours(train, query).indices[0].toList() shouldBe listOf(0, 1)
    knn.withK(2).predict(train, labels, query).toList() shouldBe listOf(0) // e^10 each: a tie, label 0 wins
  }

  test("k larger than the training set lets every row vote, weighted by exp(similarity / t)") {
    // similarities of the query (1, 0): 1 (label 0), 0 and 0 (label 1), -1 (label 1)
    val train = matrix(4, 2, 1f, 0f, 0f, 1f, 0f, 2f, -1f, 0f)
    val labels = intArrayOf(0, 1, 1, 1)
    val query = matrix(1, 2, 1f, 0f)
    val knn = KnnClassifier.create() // k = 200
    knn.neighbours(train, query).indices[0].toList() shouldBe listOf(0, 1, 2, 3)
    // t = 0.1: e^10 against 2 + e^-10, class 0; t = 10: e^0.1 = 1.105 against 2 + e^-0.1 = 2.905, class 1
    knn.predict(train, labels, query).toList() shouldBe listOf(0)
    knn.withTemperature(10.0).predict(train, labels, query).toList() shouldBe listOf(1)
    knn.accuracy(train, labels, query, intArrayOf(0)) shouldBe (1.0 plusOrMinus 0.0)
    // a tiny temperature does not overflow: the weights are taken relative to the best neighbour
    knn.withTemperature(1e-4).predict(train, labels, query).toList() shouldBe listOf(0)
  }

  test("evaluate embeds both sets with the embedding function") {
    val images = io.github.kontrast.dsl.data.LabeledImages(
      FloatHostArray(floatArrayOf(1f, 0f, 0.9f, 0.1f, 0f, 1f, 0.1f, 0.9f), intArrayOf(4, 2)),
      io.github.kontrast.dsl.data.IntHostArray(intArrayOf(0, 0, 1, 1), intArrayOf(4)),
    )
    KnnClassifier.create().withK(2).evaluate({ it }, images, images) shouldBe (1.0 plusOrMinus 0.0)
    shouldThrow<IllegalArgumentException> {
      KnnClassifier.create().evaluate({ FloatHostArray(FloatArray(2), intArrayOf(1, 2)) }, images, images)
    }.message shouldContain "the embedding function must return [4, D] for the training images, got [1, 2]"
  }

  test("bad input is rejected naming the argument") {
    val train = matrix(2, 2, 1f, 0f, 0f, 1f)
    shouldThrow<IllegalArgumentException> { KnnClassifier.create().withK(0) }.message shouldContain "k must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { KnnClassifier.create().withTemperature(0.0) }.message shouldContain "temperature must be > 0"
    shouldThrow<IllegalArgumentException> { KnnClassifier.create().predict(train, intArrayOf(0), train) }.message shouldContain
      "trainLabels must have one label per row (2), got 1"
    shouldThrow<IllegalArgumentException> { KnnClassifier.create().predict(train, intArrayOf(0, 1), matrix(1, 3, 1f, 2f, 3f)) }.message shouldContain
      "queries must have the training embeddings' width 2, got 3"
  }
})
