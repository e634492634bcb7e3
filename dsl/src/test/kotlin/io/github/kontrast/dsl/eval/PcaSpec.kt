package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.PI
import kotlin.math.cos
import kotlin.math.sin
import kotlin.math.sqrt

class PcaSpec : FunSpec({
  fun close(actual: DoubleArray, expected: DoubleArray, tol: Double = 1e-6) {
    actual.size shouldBe expected.size
    actual.forEachIndexed { i, a -> a shouldBe (expected[i] plusOrMinus tol) }
  }

  test("the eigen decomposition of [[2, 1], [1, 2]]: 3 along (1, 1), 1 along (1, -1)") {
    val (values, vectors) = Pca.symmetricEigen(arrayOf(doubleArrayOf(2.0, 1.0), doubleArrayOf(1.0, 2.0)))
    val order = values.indices.sortedByDescending { values[it] }
    close(doubleArrayOf(values[order[0]], values[order[1]]), doubleArrayOf(3.0, 1.0), 1e-12)
    val v0 = doubleArrayOf(vectors[0][order[0]], vectors[1][order[0]])
    kotlin.math.abs(v0[0]) shouldBe (1 / sqrt(2.0) plusOrMinus 1e-12)
    v0[0] * v0[1] shouldBe (0.5 plusOrMinus 1e-12) // same sign: along (1, 1)
  }

  test("four points rotated by 30 degrees: variances 2a^2/3 and 2b^2/3 along the rotated axes") {
    // (+-a, 0) and (0, +-b) rotated by theta and shifted by (5, -2); with N - 1 = 3 the covariance is
    // R diag(2a^2/3, 2b^2/3) R^T
    val a = 3.0; val b = 1.0; val th = PI / 6
    val pts = listOf(a to 0.0, -a to 0.0, 0.0 to b, 0.0 to -b).map { (x, y) ->
      floatArrayOf((cos(th) * x - sin(th) * y + 5).toFloat(), (sin(th) * x + cos(th) * y - 2).toFloat())
    }
    val data = FloatHostArray(pts.flatMap { it.toList() }.toFloatArray(), intArrayOf(4, 2))
    val pca = Pca.fit(data, 2)
    close(pca.explainedVariance, doubleArrayOf(6.0, 2.0 / 3.0), 1e-5)
    close(pca.explainedVarianceRatio, doubleArrayOf(0.9, 0.1), 1e-6)
    close(pca.mean, doubleArrayOf(5.0, -2.0), 1e-6)
    // signs: the largest entry of each component is positive
    close(pca.component(0), doubleArrayOf(cos(th), sin(th)), 1e-6)
    close(pca.component(1), doubleArrayOf(-sin(th), cos(th)), 1e-6)
    close(pca.transform(data).data.map { it.toDouble() }.toDoubleArray(), doubleArrayOf(3.0, 0.0, -3.0, 0.0, 0.0, 1.0, 0.0, -1.0), 1e-5)
  }

  test("six points with covariance Q diag(5, 3, 1) Q^T give back 5, 3 and the columns of Q") {
    // Q = I - 2 v v^T / 9 with v = (1, 2, 2), orthogonal; points +-s_i q_i with s_i^2 = lambda_i (N - 1) / 2
    val q = arrayOf(doubleArrayOf(7.0, -4.0, -4.0), doubleArrayOf(-4.0, 1.0, -8.0), doubleArrayOf(-4.0, -8.0, 1.0)).map { c -> c.map { it / 9 } }
    val lambda = doubleArrayOf(5.0, 3.0, 1.0)
    val rows = mutableListOf<Float>()
    for (i in 0 until 3) {
      val s = sqrt(lambda[i] * 5 / 2)
      for (sign in listOf(1.0, -1.0)) for (j in 0 until 3) rows += (sign * s * q[i][j]).toFloat()
    }
    val pca = Pca.fit(FloatHostArray(rows.toFloatArray(), intArrayOf(6, 3)), 2)
    close(pca.explainedVariance, doubleArrayOf(5.0, 3.0), 1e-5)
    close(pca.explainedVarianceRatio, doubleArrayOf(5.0 / 9, 3.0 / 9), 1e-6)
    close(pca.component(0), q[0].toDoubleArray(), 1e-6) // 7/9 is its largest entry: sign kept
    close(pca.component(1), q[1].map { -it }.toDoubleArray(), 1e-6) // -8/9 is the largest: flipped
  }

  test("bad input is rejected") {
    shouldThrow<IllegalArgumentException> { Pca.fit(FloatHostArray(FloatArray(3), intArrayOf(1, 3))) }.message shouldContain
      "x must have at least 2 rows"
    shouldThrow<IllegalArgumentException> { Pca.fit(FloatHostArray(FloatArray(6), intArrayOf(2, 3)), 4) }.message shouldContain
      "components must be in 1..3, got 4"
  }
})
