package io.github.kontrast.dsl.metrics

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import kotlin.math.exp

/** Spearman's rho against hand-computed values. */
class RankCorrelationSpec : FunSpec({
  test("monotone series give 1 or -1, whatever the shape") {
    val x = DoubleArray(20) { it.toDouble() }
    RankCorrelation.spearman(x, DoubleArray(20) { exp(it / 3.0) }) shouldBe (1.0 plusOrMinus 1e-12)
    RankCorrelation.spearman(x, DoubleArray(20) { -it * it.toDouble() }) shouldBe (-1.0 plusOrMinus 1e-12)
  }

  test("no ties: 1 - 6 sum d^2 / (n (n^2 - 1))") {
    // d = -1, 1, -1, 1, 0: 1 - 6 * 4 / (5 * 24) = 0.8
    RankCorrelation.spearman(doubleArrayOf(1.0, 2.0, 3.0, 4.0, 5.0), doubleArrayOf(2.0, 1.0, 4.0, 3.0, 5.0)) shouldBe (0.8 plusOrMinus 1e-12)
  }

  test("ties share their mean rank") {
    RankCorrelation.ranks(doubleArrayOf(10.0, 20.0, 20.0, 5.0)).toList() shouldBe listOf(2.0, 3.5, 3.5, 1.0)
    // ranks x = 1, 2.5, 2.5, 4 and y = 1, 2, 3, 4: cov 4.5, var 4.5 and 5 -> 4.5 / sqrt(22.5)
    RankCorrelation.spearman(doubleArrayOf(1.0, 2.0, 2.0, 3.0), doubleArrayOf(1.0, 2.0, 3.0, 4.0)) shouldBe (0.9486832980505138 plusOrMinus 1e-12)
  }

  test("bad input is refused") {
    shouldThrow<IllegalArgumentException> { RankCorrelation.spearman(doubleArrayOf(1.0), doubleArrayOf(1.0)) }.message shouldBe "Spearman's rho needs at least 2 values, got 1"
    shouldThrow<IllegalArgumentException> { RankCorrelation.spearman(doubleArrayOf(1.0, 2.0), doubleArrayOf(1.0)) }.message shouldBe "x and y must have the same length, got 2 and 1"
    shouldThrow<IllegalArgumentException> { RankCorrelation.spearman(doubleArrayOf(1.0, 1.0), doubleArrayOf(1.0, 2.0)) }.message shouldBe "Spearman's rho is undefined when one series is constant"
    shouldThrow<IllegalArgumentException> { RankCorrelation.spearman(doubleArrayOf(1.0, Double.NaN), doubleArrayOf(1.0, 2.0)) }.message shouldBe "x and y must be finite (a NaN has no rank)"
  }
})
