package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * k-nearest-neighbour classification in a latent space, the measure document 003's comparison
 * needs: each query takes the majority class of its `k` nearest reference points by Euclidean
 * distance (a tie goes to the tied class with the nearest member). Kept minimal and on the host,
 * for low-dimensional latents (a VAE's 2 to 32 numbers); the evaluation package's k-NN (cosine,
 * temperature-weighted votes, blocked for large sets) is the general one.
 */
object LatentKnn {
  /** The predicted class of every row of [queries] (`[M, D]`) from [reference] (`[N, D]`) and its [classes] (`[N]`). */
  @JvmStatic
  @JvmOverloads
  fun predict(reference: FloatHostArray, classes: IntArray, queries: FloatHostArray, k: Int = 5): IntArray {
    require(reference.shape.size == 2 && queries.shape.size == 2) {
      "reference and queries must be [N, D] and [M, D], got ${reference.shape.contentToString()} and ${queries.shape.contentToString()}"
    }
    val d = reference.shape[1]
    require(queries.shape[1] == d) { "queries must have D = $d like the reference, got ${queries.shape[1]}" }
    require(classes.size == reference.rows) { "classes must have one entry per reference row (${reference.rows}), got ${classes.size}" }
    require(k in 1..reference.rows) { "k must be in 1..${reference.rows}, got $k" }
    val n = reference.rows
    val ref = reference.data
    val q = queries.data
    val bestDistance = DoubleArray(k)
    val bestIndex = IntArray(k)
    return IntArray(queries.rows) { m ->
      // the k smallest distances, kept sorted by insertion
      var filled = 0
      for (i in 0 until n) {
        var s = 0.0
        for (c in 0 until d) {
          val diff = (q[m * d + c] - ref[i * d + c]).toDouble()
          s += diff * diff
        }
        if (filled == k && s >= bestDistance[k - 1]) continue
        var at = if (filled < k) filled++ else k - 1
        while (at > 0 && bestDistance[at - 1] > s) {
          bestDistance[at] = bestDistance[at - 1]
          bestIndex[at] = bestIndex[at - 1]
          at--
        }
        bestDistance[at] = s
        bestIndex[at] = i
      }
      // votes; on a tie, the class whose first (nearest) member comes first
      val votes = HashMap<Int, Int>()
      for (j in 0 until k) votes.merge(classes[bestIndex[j]], 1, Int::plus)
      val top = votes.values.max()
      (0 until k).map { classes[bestIndex[it]] }.first { votes.getValue(it) == top }
    }
  }

  /** The fraction of [queries] whose predicted class is their [queryClasses]. */
  @JvmStatic
  @JvmOverloads
  fun accuracy(reference: FloatHostArray, classes: IntArray, queries: FloatHostArray, queryClasses: IntArray, k: Int = 5): Double {
    require(queryClasses.size == queries.rows) { "queryClasses must have one entry per query (${queries.rows}), got ${queryClasses.size}" }
    val predicted = predict(reference, classes, queries, k)
    return predicted.indices.count { predicted[it] == queryClasses[it] }.toDouble() / predicted.size
  }
}
