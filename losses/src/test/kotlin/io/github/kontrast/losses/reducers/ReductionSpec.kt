package io.github.kontrast.losses.reducers

import io.github.kontrast.losses.*
import io.kotest.core.spec.style.FunSpec

class ReductionSpec : FunSpec({
  // per-example losses 1, 2, 3, 6: sum 12, mean 3
  val four = vec(1f, 2f, 3f, 6f)
  val one = vec(2.5f)
  val none = Arr(longArrayOf(0), FloatArray(0))

  fun reduce(r: Reduction, x: Arr) = Tf.eagerOn(listOf(x)) { tf, (v) -> r.reduce(tf, v) }
  fun reduceOrZero(r: Reduction, x: Arr) = Tf.eagerOn(listOf(x)) { tf, (v) -> r.reduceOrZero(tf, v) }

  test("reduce: mean, sum, or the values themselves") {
    reduce(Reduction.MEAN, four).shouldMatch(listOf(3.0), "mean")
    reduce(Reduction.SUM, four).shouldMatch(listOf(12.0), "sum")
    reduce(Reduction.NONE, four).shouldMatch(listOf(1.0, 2.0, 3.0, 6.0), "none")
    // a [2,2] batch reduces over both axes
    val square = Arr(longArrayOf(2, 2), f(1, 2, 3, 6))
    reduce(Reduction.MEAN, square).shouldMatch(listOf(3.0), "mean of [2,2]")
    reduce(Reduction.SUM, square).shouldMatch(listOf(12.0), "sum of [2,2]")
  }

  test("reduceOrZero: a single value is its own mean; no values give 0, not NaN") {
    reduceOrZero(Reduction.MEAN, four).shouldMatch(listOf(3.0), "mean")
    reduceOrZero(Reduction.MEAN, one).shouldMatch(listOf(2.5), "mean of one value")
    reduceOrZero(Reduction.SUM, one).shouldMatch(listOf(2.5), "sum of one value")
    reduceOrZero(Reduction.MEAN, none).shouldMatch(listOf(0.0), "mean of nothing")
    reduceOrZero(Reduction.SUM, none).shouldMatch(listOf(0.0), "sum of nothing")
    reduceOrZero(Reduction.NONE, none).shouldMatch(emptyList(), "none of nothing")
    reduceOrZero(Reduction.NONE, four).shouldMatch(listOf(1.0, 2.0, 3.0, 6.0), "none")
  }
})
