package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class RetrievalSpec : FunSpec({
  fun rows(d: Int, vararg v: Float) = FloatHostArray(v, intArrayOf(v.size / d, d))

  test("recall@k: the rank of the first relevant item decides") {
    // gallery on the unit circle at 0, 30, 60, 90 degrees; keys 10, 11, 12, 13
    val g = rows(2, 1f, 0f, 0.866f, 0.5f, 0.5f, 0.866f, 0f, 1f)
    // query at 0 degrees: ranks 10, 11, 12, 13. Its relevant key 12 is third.
    // query at 90 degrees: ranks 13, 12, 11, 10. Its relevant key 13 is first.
    // query at 20 degrees: ranks 11, 10, 12, 13. Relevant key 99 is absent.
    val q = rows(2, 1f, 0f, 0f, 1f, 0.94f, 0.342f)
    Retrieval.recall(q, g, intArrayOf(12, 13, 99), intArrayOf(10, 11, 12, 13), intArrayOf(1, 2, 3, 4)) shouldBe
      mapOf(1 to 1.0 / 3, 2 to 1.0 / 3, 3 to 2.0 / 3, 4 to 2.0 / 3)
  }

  test("chance: 1 - C(N - r, k) / C(N, k), averaged over queries") {
    val c = Retrieval.chance(intArrayOf(1, 2), intArrayOf(1, 2, 2, 3), intArrayOf(1, 2, 4))
    // query 1: r = 1 of 4 -> 1/4, 1/2, 1; query 2: r = 2 -> 1/2, 1 - (2 * 1) / (4 * 3) = 5/6, 1
    c.getValue(1) shouldBe (0.375 plusOrMinus 1e-12)
    c.getValue(2) shouldBe ((0.5 + 5.0 / 6) / 2 plusOrMinus 1e-12)
    c.getValue(4) shouldBe (1.0 plusOrMinus 1e-12)
    val distinct = Retrieval.chance(IntArray(100) { it }, IntArray(100) { it }, intArrayOf(1, 5, 10))
    mapOf(1 to 0.01, 5 to 0.05, 10 to 0.1).forEach { (k, v) -> distinct.getValue(k) shouldBe (v plusOrMinus 1e-12) }
  }

  test("bad arguments are named") {
    val g = rows(2, 1f, 0f)
    shouldThrow<IllegalArgumentException> { Retrieval.recall(g, g, intArrayOf(1, 2), intArrayOf(1), intArrayOf(1)) }.message shouldContain "queryKeys"
    shouldThrow<IllegalArgumentException> { Retrieval.recall(g, g, intArrayOf(1), intArrayOf(1), intArrayOf(0)) }.message shouldContain "ks"
  }
})
