package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * One search result: the [id] of an indexed vector (its row when it was added) and its [score].
 *
 * @property id the vector's position in the order vectors were added, from 0.
 * @property score the similarity to the query (cosine or dot product); higher is more similar.
 */
class SearchHit(val id: Int, val score: Float) {
  override fun toString() = "SearchHit($id, $score)"
  override fun equals(other: Any?) = other is SearchHit && other.id == id && other.score == score
  override fun hashCode() = id * 31 + score.hashCode()
}

/** How an index scores a query against a vector; higher is more similar. */
enum class VectorSimilarity {
  /** Cosine of the angle: the vectors' lengths do not matter (zero vectors are refused). */
  COSINE,

  /** The dot product; for unit vectors (a CLIP tower's normalized embeddings) it equals the cosine. */
  DOT_PRODUCT,
}

/**
 * Vectors searchable by similarity to a query: [ExactVectorIndex] (in memory, every vector
 * scored: the default for sets that fit in memory) or [HnswVectorIndex] (Lucene's HNSW graph on
 * disk, for sets that outgrow memory). Ids are the vectors' positions in the order they were added,
 * counted from 0 over the index's life. Scores are the similarity itself (cosine or dot product).
 */
interface VectorIndex : AutoCloseable {
  /** Numbers per vector. */
  val dimension: Int

  /** How queries are scored against the vectors. */
  val similarity: VectorSimilarity

  /** Number of vectors indexed. */
  val size: Int

  /** Adds the rows of [vectors] (`[N, dimension]`); their ids follow the ones already there. */
  fun add(vectors: FloatHostArray)

  /** The [k] most similar vectors to [query], most similar first (fewer when the index is smaller). */
  fun search(query: FloatArray, k: Int): List<SearchHit>

  /** [search] for every row of [queries]. */
  fun search(queries: FloatHostArray, k: Int): List<List<SearchHit>> {
    checkVectors("queries", queries, dimension)
    val d = dimension
    return (0 until queries.rows).map { search(queries.data.copyOfRange(it * d, it * d + d), k) }
  }

  /** Releases what the index holds (files, for an index on disk); does nothing by default. */
  override fun close() {}
}

/** Checks that [vectors] is [N, dimension] and finite. */
internal fun checkVectors(what: String, vectors: FloatHostArray, dimension: Int) {
  require(vectors.shape.size == 2 && vectors.shape[1] == dimension) {
    "$what must be [N, $dimension], got ${vectors.shape.contentToString()}"
  }
  val bad = vectors.data.indexOfFirst { !it.isFinite() }
  require(bad < 0) { "$what: element $bad (row ${bad / dimension}) is ${vectors.data[bad]}, expected a finite value" }
}

/** Checks one query vector. */
internal fun checkQuery(query: FloatArray, dimension: Int, similarity: VectorSimilarity, k: Int) {
  require(k >= 1) { "k must be >= 1, got $k" }
  require(query.size == dimension) { "query must have $dimension values, got ${query.size}" }
  require(query.all { it.isFinite() }) { "query must be finite, got ${query.filter { !it.isFinite() }.take(3)}" }
  require(similarity != VectorSimilarity.COSINE || query.any { it != 0f }) { "a cosine query must not be the zero vector" }
}
