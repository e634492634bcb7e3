package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * Document 003's pairs: "positive pairs by augmenting images of the same object, negatives by
 * pairing images of completely different classes". For every image i one positive pair, two
 * augmentations of i, and one negative pair, i and an image of another class; the 2N pairs are
 * shuffled. Labels follow the document: 1 = dissimilar ([DISSIMILAR]), 0 = similar ([SIMILAR]);
 * read them with `PairConvention.ONE_MEANS_DISSIMILAR`.
 *
 * Both images of EVERY pair are augmented, each on its own: if only positives were, the network
 * could tell a positive by its augmentation rather than by its content. The augmentation is a
 * random shift of up to [maxShift] pixels along each axis, with zeros coming in at the edges (on
 * 28x28 digits, 2 pixels keeps every stroke in the frame). It is drawn per pair and epoch, from
 * (seed, epoch seed, epoch, pair) in [batches] and from (seed, pair) in [batch], so a pair's views
 * do not depend on the batch size. The augmentation package's richer transforms can replace it
 * through [Dataset.map].
 *
 * Batches hold [Batch.FIRST], [Batch.SECOND] (float images, as [images] holds them),
 * [Batch.LABEL] (float `[B]`) and [Batch.CLASS] (the first image's class, int `[B]`).
 */
class AugmentedPairs private constructor(
  /** The labelled images the pairs are made of. */
  val images: LabeledImages,
  private val firstIndex: IntArray,
  private val secondIndex: IntArray,
  /** Largest shift of an image along each axis, in pixels. */
  val maxShift: Int,
  /** Seed of the pairing and of the shifts. */
  val seed: Long,
) : Dataset {
  init {
    require(images.imageShape.size >= 2) { "images must be [N, rows, cols] or [N, rows, cols, channels], got ${images.images.shape.contentToString()}" }
  }

  override val size: Int get() = firstIndex.size

  /** Whether pair [p] is a positive (two views of one image). */
  fun isPositive(p: Int): Boolean = firstIndex[p] == secondIndex[p]

  /** Index into [images] of the first image of pair [p]. */
  fun first(p: Int): Int = firstIndex[p]

  /** Index into [images] of the second image of pair [p]. */
  fun second(p: Int): Int = secondIndex[p]

  override fun batch(indices: IntArray): Batch = assemble(indices) { p -> SplittableRandom(Seeds.mix(seed, p.toLong())) }

  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    val order = Dataset.checkedEpochOrder(size, batchSize, shuffle, seed, epoch)
    val count = Dataset.batchCount(size, batchSize, dropLast)
    return BatchIterator.of(
      (0 until count).asSequence().map { b ->
        assemble(Dataset.batchIndices(order, b, batchSize)) { p -> SplittableRandom(Seeds.mix(this.seed, seed, epoch.toLong(), p.toLong())) }
      }.iterator(),
    )
  }

  private inline fun assemble(indices: IntArray, randomFor: (Int) -> SplittableRandom): Batch {
    val a = images.images.gather(IntArray(indices.size) { firstIndex[indices[it]] })
    val b = images.images.gather(IntArray(indices.size) { secondIndex[indices[it]] })
    val rows = images.imageShape[0]
    val cols = images.imageShape[1]
    val channels = images.images.rowLength / (rows * cols)
    indices.forEachIndexed { k, p ->
      val r = randomFor(p)
      shift(a.data, k, rows, cols, channels, r)
      shift(b.data, k, rows, cols, channels, r)
    }
    val labels = FloatArray(indices.size) { if (isPositive(indices[it])) SIMILAR else DISSIMILAR }
    return Batch(
      mapOf(
        Batch.FIRST to a,
        Batch.SECOND to b,
        Batch.LABEL to FloatHostArray(labels, intArrayOf(indices.size)),
        Batch.CLASS to IntHostArray(IntArray(indices.size) { images.label(firstIndex[indices[it]]) }, intArrayOf(indices.size)),
      ),
    )
  }

  /** Shifts image `k` of [data] in place by a random (dy, dx) in [-maxShift, maxShift]^2, zeros coming in. */
  private fun shift(data: FloatArray, k: Int, rows: Int, cols: Int, channels: Int, r: SplittableRandom) {
    val dy = r.nextInt(2 * maxShift + 1) - maxShift
    val dx = r.nextInt(2 * maxShift + 1) - maxShift
    if (dy == 0 && dx == 0) return
    val at = k * rows * cols * channels
    val src = data.copyOfRange(at, at + rows * cols * channels)
    for (y in 0 until rows) for (x in 0 until cols) {
      val sy = y - dy
      val sx = x - dx
      val inside = sy in 0 until rows && sx in 0 until cols
      for (c in 0 until channels) {
        data[at + (y * cols + x) * channels + c] = if (inside) src[(sy * cols + sx) * channels + c] else 0f
      }
    }
  }

  override fun toString(): String = "AugmentedPairs($size pairs of ${images.imageShape.contentToString()}, shifts up to $maxShift px)"

  companion object {
    /** Document 003's label of a positive pair. */
    const val SIMILAR = 0f

    /** Document 003's label of a negative pair. */
    const val DISSIMILAR = 1f

    /** The pairs of [images], drawn and shuffled from [seed]; views shifted by up to [maxShift] pixels. */
    @JvmStatic
    @JvmOverloads
    fun generate(images: LabeledImages, seed: Long = 0L, maxShift: Int = 2): AugmentedPairs {
      require(maxShift >= 0) { "maxShift must be >= 0, got $maxShift" }
      val index = ClassIndex(images.labels.data)
      val random = SplittableRandom(seed)
      val n = images.size
      val first = IntArray(2 * n)
      val second = IntArray(2 * n)
      for (i in 0 until n) {
        first[2 * i] = i
        second[2 * i] = i
        first[2 * i + 1] = i
        second[2 * i + 1] = index.otherClass(images.label(i), random)
      }
      val order = IntArray(2 * n) { it }
      ClassIndex.shuffle(order, random)
      return AugmentedPairs(images, IntArray(2 * n) { first[order[it]] }, IntArray(2 * n) { second[order[it]] }, maxShift, Seeds.mix(seed, 0x5EED))
    }
  }
}
