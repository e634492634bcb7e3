package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import kotlin.math.abs
import kotlin.math.sqrt

/**
 * Principal component analysis on the host: the eigenvectors of the sample covariance (divided by
 * N - 1) with the largest eigenvalues. Each component's sign is fixed so that its largest entry (the
 * first, among equals) is positive, so the same data always gives the same picture.
 */
class Pca private constructor(
  private val centre: DoubleArray,
  private val axes: Array<DoubleArray>,
  private val variances: DoubleArray,
  private val totalVariance: Double,
) {
  /** Number of components kept. */
  val components: Int get() = axes.size

  /** The mean that is subtracted before projecting. */
  val mean: DoubleArray get() = centre.copyOf()

  /** Component [i] (a unit vector of length D). */
  fun component(i: Int): DoubleArray = axes[i].copyOf()

  /** The variance along each component (the covariance's eigenvalues), largest first. */
  val explainedVariance: DoubleArray get() = variances.copyOf()

  /** Each component's share of the total variance. */
  val explainedVarianceRatio: DoubleArray get() = DoubleArray(variances.size) { if (totalVariance > 0) variances[it] / totalVariance else 0.0 }

  /** The coordinates [N, components] of the rows of [x] ([N, D]) on the components. */
  fun transform(x: FloatHostArray): FloatHostArray {
    checkMatrix(x, "x")
    val d = centre.size
    require(x.shape[1] == d) { "x must have $d columns, as the data the PCA was fitted on, got ${x.shape[1]}" }
    val out = FloatArray(x.rows * components)
    for (r in 0 until x.rows) for (c in 0 until components) {
      var s = 0.0
      for (j in 0 until d) s += (x.data[r * d + j] - centre[j]) * axes[c][j]
      out[r * components + c] = s.toFloat()
    }
    return FloatHostArray(out, intArrayOf(x.rows, components))
  }

  companion object {
    /** The first [components] principal components of the rows of [x] ([N, D], N >= 2). */
    @JvmStatic
    @JvmOverloads
    fun fit(x: FloatHostArray, components: Int = 2): Pca {
      checkMatrix(x, "x")
      val n = x.rows
      val d = x.shape[1]
      require(n >= 2) { "x must have at least 2 rows for a covariance, got $n" }
      require(components in 1..d) { "components must be in 1..$d, got $components" }
      val mean = DoubleArray(d)
      for (r in 0 until n) for (j in 0 until d) mean[j] += x.data[r * d + j].toDouble()
      for (j in 0 until d) mean[j] = mean[j] / n
      val cov = Array(d) { DoubleArray(d) }
      val row = DoubleArray(d)
      for (r in 0 until n) {
        for (j in 0 until d) row[j] = x.data[r * d + j] - mean[j]
        for (a in 0 until d) {
          val ra = row[a]
          val ca = cov[a]
          for (b in a until d) ca[b] += ra * row[b]
        }
      }
      for (a in 0 until d) for (b in a until d) { cov[a][b] = cov[a][b] / (n - 1); cov[b][a] = cov[a][b] }
      val total = (0 until d).sumOf { cov[it][it] }
      val (values, vectors) = symmetricEigen(cov)
      val order = values.indices.sortedByDescending { values[it] }.take(components)
      val axes = Array(components) { c -> DoubleArray(d) { vectors[it][order[c]] }.also(::fixSign) }
      return Pca(mean, axes, DoubleArray(components) { maxOf(0.0, values[order[it]]) }, total)
    }

    /**
     * Eigenvalues and eigenvectors (as the columns of the second result) of the symmetric matrix
     * [a], by cyclic Jacobi rotations until the off-diagonal part is negligible.
     */
    @JvmStatic
    fun symmetricEigen(a: Array<DoubleArray>): Pair<DoubleArray, Array<DoubleArray>> {
      val n = a.size
      require(a.all { it.size == n }) { "the matrix must be square" }
      for (i in 0 until n) for (j in 0 until i) require(a[i][j] == a[j][i]) { "the matrix must be symmetric: [$i][$j] != [$j][$i]" }
      val m = Array(n) { a[it].copyOf() }
      val v = Array(n) { i -> DoubleArray(n) { j -> if (i == j) 1.0 else 0.0 } }
      val scale = (0 until n).sumOf { i -> (0 until n).sumOf { j -> m[i][j] * m[i][j] } }
      repeat(MAX_SWEEPS) {
        var off = 0.0
        for (p in 0 until n) for (q in p + 1 until n) off += m[p][q] * m[p][q]
        if (off <= 1e-30 * scale || off == 0.0) return DoubleArray(n) { m[it][it] } to v
        for (p in 0 until n - 1) for (q in p + 1 until n) {
          if (m[p][q] == 0.0) continue
          // the rotation that zeroes m[p][q] (Golub & Van Loan's symmetric Schur step)
          val theta = (m[q][q] - m[p][p]) / (2 * m[p][q])
          val t = (if (theta >= 0) 1.0 else -1.0) / (abs(theta) + sqrt(theta * theta + 1))
          val c = 1 / sqrt(t * t + 1)
          val s = t * c
          for (k in 0 until n) {
            val mkp = m[k][p]; val mkq = m[k][q]
            m[k][p] = c * mkp - s * mkq
            m[k][q] = s * mkp + c * mkq
          }
          for (k in 0 until n) {
            val mpk = m[p][k]; val mqk = m[q][k]
            m[p][k] = c * mpk - s * mqk
            m[q][k] = s * mpk + c * mqk
          }
          for (k in 0 until n) {
            val vkp = v[k][p]; val vkq = v[k][q]
            v[k][p] = c * vkp - s * vkq
            v[k][q] = s * vkp + c * vkq
          }
        }
      }
      throw IllegalStateException("Jacobi eigenvalue iteration did not converge in $MAX_SWEEPS sweeps")
    }

    private const val MAX_SWEEPS = 100

    /** Flips [v] so that its largest-magnitude entry (the first, among equals up to rounding) is positive. */
    private fun fixSign(v: DoubleArray) {
      val big = v.maxOf { abs(it) }
      val i = v.indexOfFirst { abs(it) >= big * (1 - 1e-9) }
      if (v[i] < 0) for (j in v.indices) v[j] = -v[j]
    }
  }
}
