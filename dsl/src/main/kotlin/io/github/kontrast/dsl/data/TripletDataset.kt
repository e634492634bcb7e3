package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * One triplet per image, shuffled: the image as anchor, a positive drawn from its class (another
 * image when the class has one) and a negative drawn from the other classes. Batches hold
 * [Batch.ANCHOR], [Batch.POSITIVE] and [Batch.NEGATIVE] (images, e.g. float `[B, 28, 28, 1]`).
 *
 * @property images the labelled images the triplets index into.
 */
class TripletDataset private constructor(
  val images: LabeledImages,
  private val anchors: IntArray,
  private val positives: IntArray,
  private val negatives: IntArray,
) : Dataset {
  override val size: Int get() = anchors.size

  /** Indices into [images] of triplet [t]: anchor, positive, negative. */
  fun triplet(t: Int): Triple<Int, Int, Int> = Triple(anchors[t], positives[t], negatives[t])

  override fun batch(indices: IntArray): Batch = Batch(
    mapOf(
      Batch.ANCHOR to images.images.gather(IntArray(indices.size) { anchors[indices[it]] }),
      Batch.POSITIVE to images.images.gather(IntArray(indices.size) { positives[indices[it]] }),
      Batch.NEGATIVE to images.images.gather(IntArray(indices.size) { negatives[indices[it]] }),
    ),
  )

  override fun toString(): String = "TripletDataset($size triplets of ${images.imageShape.contentToString()})"

  companion object {
    /** The triplets of [images], drawn and shuffled by a generator seeded with [seed]. */
    @JvmStatic
    @JvmOverloads
    fun generate(images: LabeledImages, seed: Long = 0L): TripletDataset {
      val index = ClassIndex(images.labels.data)
      val random = SplittableRandom(seed)
      val n = images.size
      val positive = IntArray(n)
      val negative = IntArray(n)
      for (i in 0 until n) {
        val label = images.label(i)
        positive[i] = index.sameClassOther(i, label, random)
        negative[i] = index.otherClass(label, random)
      }
      val order = IntArray(n) { it }
      ClassIndex.shuffle(order, random)
      return TripletDataset(images, order.copyOf(), IntArray(n) { positive[order[it]] }, IntArray(n) { negative[order[it]] })
    }
  }
}
