package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom

/** k-NN in a latent space against hand-worked cases and a brute-force sort. */
class LatentKnnSpec : FunSpec({
  // points on a line: 0, 1, 2 of class 7; 10, 11 of class 3
  val line = FloatHostArray(floatArrayOf(0f, 1f, 2f, 10f, 11f), intArrayOf(5, 1))
  val lineClasses = intArrayOf(7, 7, 7, 3, 3)

  test("by hand on a line: k = 1 takes the nearest, k = 3 the majority") {
    val q = FloatHostArray(floatArrayOf(0.4f, 9f, 6.4f), intArrayOf(3, 1))
    LatentKnn.predict(line, lineClasses, q, k = 1).toList() shouldBe listOf(7, 3, 3)
    // 6.4: neighbours 10 (3.6), 2 (4.4), 11 (4.6) -> two votes for 3
    LatentKnn.predict(line, lineClasses, q, k = 3).toList() shouldBe listOf(7, 3, 3)
    // k = 5: three 7s against two 3s, wherever the query is
    LatentKnn.predict(line, lineClasses, q, k = 5).toList() shouldBe listOf(7, 7, 7)
    LatentKnn.accuracy(line, lineClasses, q, intArrayOf(7, 3, 7), k = 3) shouldBe (2.0 / 3)
  }

  test("a tie goes to the class with the nearest member") {
    // 5.8: neighbours 10 (4.2, class 3) and 2 (3.8, class 7): one vote each, 7 is nearer
    LatentKnn.predict(line, lineClasses, FloatHostArray(floatArrayOf(5.8f), intArrayOf(1, 1)), k = 2).toList() shouldBe listOf(7)
    LatentKnn.predict(line, lineClasses, FloatHostArray(floatArrayOf(6.2f), intArrayOf(1, 1)), k = 2).toList() shouldBe listOf(3)
  }

  test("the same as sorting every distance, on random 2-D points") {
    val r = SplittableRandom(3)
    val n = 200
    val ref = FloatArray(2 * n) { r.nextDouble(-1.0, 1.0).toFloat() }
    val cls = IntArray(n) { r.nextInt(4) }
    val q = FloatArray(2 * 50) { r.nextDouble(-1.0, 1.0).toFloat() }
    val predicted = LatentKnn.predict(FloatHostArray(ref, intArrayOf(n, 2)), cls, FloatHostArray(q, intArrayOf(50, 2)), k = 7)
    for (m in 0 until 50) {
      val nearest = (0 until n).sortedBy { i ->
        val dx = (q[2 * m] - ref[2 * i]).toDouble(); val dy = (q[2 * m + 1] - ref[2 * i + 1]).toDouble(); dx * dx + dy * dy
      }.take(7).map { cls[it] }
      val counts = nearest.groupingBy { it }.eachCount()
      val top = counts.values.max()
      predicted[m] shouldBe nearest.first { counts.getValue(it) == top }
    }
  }

  test("bad input is refused, naming it") {
    val q = FloatHostArray(floatArrayOf(1f, 2f), intArrayOf(1, 2))
    shouldThrow<IllegalArgumentException> { LatentKnn.predict(line, lineClasses, q) }.message shouldBe "queries must have D = 1 like the reference, got 2"
    shouldThrow<IllegalArgumentException> { LatentKnn.predict(line, lineClasses, FloatHostArray(floatArrayOf(1f), intArrayOf(1, 1)), k = 6) }.message shouldBe "k must be in 1..5, got 6"
    shouldThrow<IllegalArgumentException> { LatentKnn.predict(line, intArrayOf(1), line) }.message shouldBe "classes must have one entry per reference row (5), got 1"
  }
})
