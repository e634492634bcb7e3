package io.github.kontrast.dsl.metrics

/**
 * Spearman's rank correlation: the Pearson correlation of the ranks, tied values sharing the mean
 * of their ranks. 1 when one series grows with the other, -1 when it falls, whatever the shape.
 * Document 002 uses it to say whether a 1-D embedding follows the spiral's parameter.
 */
object RankCorrelation {
  /**
   * Spearman's rho of the paired values [x] and [y], in [-1, 1]. Both need the same length, at least
   * two finite values each, and neither may be constant (rho is undefined then).
   */
  @JvmStatic
  fun spearman(x: DoubleArray, y: DoubleArray): Double {
    require(x.size == y.size) { "x and y must have the same length, got ${x.size} and ${y.size}" }
    require(x.size >= 2) { "Spearman's rho needs at least 2 values, got ${x.size}" }
    require(x.all { it.isFinite() } && y.all { it.isFinite() }) { "x and y must be finite (a NaN has no rank)" }
    return pearson(ranks(x), ranks(y))
  }

  /** Spearman's rho of float [x] (an embedding's one coordinate, say) against [y]. */
  @JvmStatic
  fun spearman(x: FloatArray, y: DoubleArray): Double = spearman(DoubleArray(x.size) { x[it].toDouble() }, y)

  /** 1-based ranks, ties given the mean of the ranks they span. */
  @JvmStatic
  fun ranks(v: DoubleArray): DoubleArray {
    val order = v.indices.sortedBy { v[it] }
    val out = DoubleArray(v.size)
    var i = 0
    while (i < order.size) {
      var j = i
      while (j + 1 < order.size && v[order[j + 1]] == v[order[i]]) j++
      val mean = (i + j) / 2.0 + 1
      for (k in i..j) out[order[k]] = mean
      i = j + 1
    }
    return out
  }

  private fun pearson(a: DoubleArray, b: DoubleArray): Double {
    val ma = a.average()
    val mb = b.average()
    var cov = 0.0
    var va = 0.0
    var vb = 0.0
    for (i in a.indices) {
      cov += (a[i] - ma) * (b[i] - mb)
      va += (a[i] - ma) * (a[i] - ma)
      vb += (b[i] - mb) * (b[i] - mb)
    }
    require(va > 0 && vb > 0) { "Spearman's rho is undefined when one series is constant" }
    return cov / Math.sqrt(va * vb)
  }
}
