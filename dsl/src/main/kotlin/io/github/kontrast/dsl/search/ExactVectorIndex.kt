package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import java.util.PriorityQueue

/**
 * Exact nearest-neighbour search in memory: a query is scored against every vector, the `k` best
 * kept in a heap. The answer is exact by construction (ties go to the lower id), and for a few
 * hundred thousand vectors of CLIP's size it is fast enough; beyond memory use [HnswVectorIndex].
 */
class ExactVectorIndex @JvmOverloads constructor(
  /** Numbers per vector. */
  override val dimension: Int,
  /** How queries are scored (default cosine). */
  override val similarity: VectorSimilarity = VectorSimilarity.COSINE,
) : VectorIndex {
  init {
    require(dimension >= 1) { "dimension must be >= 1, got $dimension" }
  }

  private var data = FloatArray(0)
  private var norms = FloatArray(0)

  override var size: Int = 0
    private set

  override fun add(vectors: FloatHostArray) {
    checkVectors("vectors", vectors, dimension)
    val n = vectors.rows
    if (similarity == VectorSimilarity.COSINE) {
      for (r in 0 until n) require(norm(vectors.data, r * dimension) > 0f) { "vectors: row $r is the zero vector, which has no cosine" }
    }
    data = data.copyOf((size + n) * dimension).also { System.arraycopy(vectors.data, 0, it, size * dimension, n * dimension) }
    norms = norms.copyOf(size + n).also { for (r in 0 until n) it[size + r] = norm(vectors.data, r * dimension) }
    size += n
  }

  override fun search(query: FloatArray, k: Int): List<SearchHit> {
    checkQuery(query, dimension, similarity, k)
    val qn = if (similarity == VectorSimilarity.COSINE) norm(query, 0) else 1f
    // a min-heap of the best k: the worst kept hit on top (lower score, or the higher id on a tie)
    val heap = PriorityQueue<SearchHit>(k + 1, compareBy<SearchHit> { it.score }.thenByDescending { it.id })
    for (i in 0 until size) {
      var dot = 0f
      val at = i * dimension
      for (j in 0 until dimension) dot += data[at + j] * query[j]
      val score = if (similarity == VectorSimilarity.COSINE) dot / (norms[i] * qn) else dot
      heap.add(SearchHit(i, score))
      if (heap.size > k) heap.poll()
    }
    return heap.sortedWith(compareByDescending<SearchHit> { it.score }.thenBy { it.id })
  }

  override fun toString() = "ExactVectorIndex($size x $dimension, $similarity)"

  /** The Euclidean length of the [dimension] values of [v] from [at]. */
  private fun norm(v: FloatArray, at: Int): Float {
    var s = 0.0
    for (j in 0 until dimension) s += v[at + j].toDouble() * v[at + j]
    return Math.sqrt(s).toFloat()
  }
}
