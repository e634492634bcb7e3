package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import java.nio.file.Path

/** Chooses an index for a set of vectors. */
object VectorIndexes {
  /** Up to this many vectors an exact in-memory search is the default: 100,000 x 512 floats is 200 MB. */
  const val EXACT_LIMIT = 100_000

  /**
   * An index holding [vectors]: exact in memory ([ExactVectorIndex]) when there are at most
   * [exactLimit] of them, else Lucene's HNSW graph in [directory] ([HnswVectorIndex]), which must
   * then be given. With a [directory] and [exactLimit] 0 it is always the on-disk index.
   */
  @JvmStatic
  @JvmOverloads
  fun of(
    vectors: FloatHostArray,
    similarity: VectorSimilarity = VectorSimilarity.COSINE,
    directory: Path? = null,
    exactLimit: Int = EXACT_LIMIT,
  ): VectorIndex {
    require(vectors.shape.size == 2) { "vectors must be [N, dimension], got ${vectors.shape.contentToString()}" }
    require(exactLimit >= 0) { "exactLimit must be >= 0, got $exactLimit" }
    val index: VectorIndex = if (vectors.rows <= exactLimit) {
      ExactVectorIndex(vectors.shape[1], similarity)
    } else {
      requireNotNull(directory) { "${vectors.rows} vectors exceed exactLimit $exactLimit: give a directory for the on-disk HNSW index" }
      HnswVectorIndex(directory, vectors.shape[1], similarity)
    }
    try {
      index.add(vectors)
    } catch (e: Throwable) {
      index.close()
      throw e
    }
    return index
  }
}
