package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * Document 001's generate_pairs: for every image i one positive pair (i, j) with j drawn from
 * i's class (j may be i, as np.random.choice may draw it) and one negative pair (i, k) with k
 * from another class; the 2N pairs are shuffled. Batches hold [Batch.FIRST] and [Batch.SECOND]
 * (the images, e.g. float `[B, 28, 28, 1]`) and [Batch.LABEL] (float `[B]`: [SIMILAR] for a
 * positive pair, [DISSIMILAR] for a negative one, document 001's convention). Pairs are index
 * pairs into [images], so 96,000 pairs cost 1 MB, not the 600 MB of materialised images.
 *
 * @property images the labelled images the pairs index into.
 */
class PairDataset private constructor(
  val images: LabeledImages,
  private val firstIndex: IntArray,
  private val secondIndex: IntArray,
) : Dataset {
  override val size: Int get() = firstIndex.size

  /** Index into [images] of the first image of pair [p]. */
  fun first(p: Int): Int = firstIndex[p]

  /** Index into [images] of the second image of pair [p]. */
  fun second(p: Int): Int = secondIndex[p]

  /** Whether pair [p] shows one class twice. */
  fun isSimilar(p: Int): Boolean = images.label(firstIndex[p]) == images.label(secondIndex[p])

  override fun batch(indices: IntArray): Batch {
    val a = IntArray(indices.size) { firstIndex[indices[it]] }
    val b = IntArray(indices.size) { secondIndex[indices[it]] }
    val y = FloatArray(indices.size) { if (isSimilar(indices[it])) SIMILAR else DISSIMILAR }
    return Batch(
      mapOf(
        Batch.FIRST to images.images.gather(a),
        Batch.SECOND to images.images.gather(b),
        Batch.LABEL to FloatHostArray(y, intArrayOf(indices.size)),
      ),
    )
  }

  /** The first [n] pairs as one batch (what display_pairs shows). */
  fun head(n: Int): Batch {
    require(n in 1..size) { "n must be in 1..$size, got $n" }
    return batch(IntArray(n) { it })
  }

  override fun toString(): String = "PairDataset($size pairs of ${images.imageShape.contentToString()})"

  companion object {
    /** Label of a pair of one class. */
    const val SIMILAR = 1f

    /** Label of a pair of two classes. */
    const val DISSIMILAR = 0f

    /** The pairs of [images], drawn and shuffled by a generator seeded with [seed]. */
    @JvmStatic
    @JvmOverloads
    fun generate(images: LabeledImages, seed: Long = 0L): PairDataset {
      val index = ClassIndex(images.labels.data)
      val random = SplittableRandom(seed)
      val n = images.size
      val first = IntArray(2 * n)
      val second = IntArray(2 * n)
      for (i in 0 until n) {
        val label = images.label(i)
        first[2 * i] = i
        second[2 * i] = index.sameClass(label, random)
        first[2 * i + 1] = i
        second[2 * i + 1] = index.otherClass(label, random)
      }
      val order = IntArray(2 * n) { it }
      ClassIndex.shuffle(order, random)
      return PairDataset(images, IntArray(2 * n) { first[order[it]] }, IntArray(2 * n) { second[order[it]] })
    }
  }
}
