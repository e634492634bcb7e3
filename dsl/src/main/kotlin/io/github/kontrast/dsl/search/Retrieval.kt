package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * Recall@k of a search, as CLIP's retrieval benchmarks report it: the fraction of queries with at
 * least one relevant item among their k most similar. Relevance comes from keys: a gallery item is
 * relevant to a query when their keys are equal (for emoji, the caption's identity; for MNIST
 * captions, the digit, since every "a handwritten seven" fits every seven).
 */
object Retrieval {
  /**
   * recall@k for each k of [ks]: [queries] `[Q, D]` searched in [index] (which holds the gallery, ids
   * = gallery rows), relevance by [queryKeys] `[Q]` and [galleryKeys] `[gallery size]`.
   */
  @JvmStatic
  fun recall(index: VectorIndex, queries: FloatHostArray, queryKeys: IntArray, galleryKeys: IntArray, ks: IntArray): Map<Int, Double> {
    require(ks.isNotEmpty() && ks.all { it >= 1 }) { "ks must be >= 1, got ${ks.contentToString()}" }
    require(queryKeys.size == queries.rows) { "queryKeys: expected one per query (${queries.rows}), got ${queryKeys.size}" }
    require(galleryKeys.size == index.size) { "galleryKeys: expected one per indexed item (${index.size}), got ${galleryKeys.size}" }
    val kMax = ks.max()
    val hits = IntArray(ks.size)
    index.search(queries, kMax).forEachIndexed { q, found ->
      val first = found.indexOfFirst { galleryKeys[it.id] == queryKeys[q] } // rank of the first relevant item, -1 if none
      ks.forEachIndexed { i, k -> if (first in 0 until k) hits[i]++ }
    }
    return ks.withIndex().associate { (i, k) -> k to hits[i].toDouble() / queries.rows }
  }

  /** [recall] with an exact cosine search over [gallery] `[N, D]`. */
  @JvmStatic
  fun recall(queries: FloatHostArray, gallery: FloatHostArray, queryKeys: IntArray, galleryKeys: IntArray, ks: IntArray): Map<Int, Double> =
    ExactVectorIndex(gallery.shape[1]).use { index ->
      index.add(gallery)
      recall(index, queries, queryKeys, galleryKeys, ks)
    }

  /**
   * Recall@k both ways between images and captions: [images] `[N, D]` with [imageKeys] (which caption
   * each image has, an index into [captions]), [captions] `[M, D]` the distinct captions. Text to
   * image: every caption searches the images; image to text: every image searches the captions.
   */
  @JvmStatic
  fun crossModal(images: FloatHostArray, imageKeys: IntArray, captions: FloatHostArray, ks: IntArray): CrossModalRecall {
    val captionKeys = IntArray(captions.rows) { it }
    return CrossModalRecall(
      textToImage = recall(captions, images, captionKeys, imageKeys, ks),
      imageToText = recall(images, captions, imageKeys, captionKeys, ks),
      textToImageChance = chance(captionKeys, imageKeys, ks),
      imageToTextChance = chance(imageKeys, captionKeys, ks),
    )
  }

  /**
   * recall@k of a search that ranks the gallery at random: for a query with r relevant items among
   * N, 1 - C(N - r, k) / C(N, k), averaged over the queries. The bar a trained model must clear.
   */
  @JvmStatic
  fun chance(queryKeys: IntArray, galleryKeys: IntArray, ks: IntArray): Map<Int, Double> {
    val n = galleryKeys.size
    val counts = galleryKeys.toList().groupingBy { it }.eachCount()
    return ks.associateWith { k ->
      queryKeys.sumOf { key ->
        val r = counts[key] ?: 0
        // C(n - r, k) / C(n, k) = prod_{i < k} (n - r - i) / (n - i)
        var miss = 1.0
        for (i in 0 until minOf(k, n)) miss *= maxOf(0, n - r - i).toDouble() / (n - i)
        1 - miss
      } / queryKeys.size
    }
  }
}

/**
 * Recall@k both ways with the chance level of each, by k.
 *
 * @property textToImage recall@k of every caption searching the images, by k.
 * @property imageToText recall@k of every image searching the captions, by k.
 * @property textToImageChance the recall@k of a random ranking of the images, by k ([Retrieval.chance]).
 * @property imageToTextChance the recall@k of a random ranking of the captions, by k.
 */
class CrossModalRecall(
  val textToImage: Map<Int, Double>,
  val imageToText: Map<Int, Double>,
  val textToImageChance: Map<Int, Double>,
  val imageToTextChance: Map<Int, Double>,
) {
  override fun toString() = "text to image $textToImage (chance $textToImageChance), image to text $imageToText (chance $imageToTextChance)"
}
