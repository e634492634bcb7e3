package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.BatchIterator
import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.PrefetchIterator
import io.github.kontrast.dsl.text.Tokenizer

/**
 * Image-caption pairs augmented on both sides, as a CLIP model reads them: [Batch.IMAGE] (the
 * images through [augmentation]'s image side), [CaptionedImages.TOKENS] and [CaptionedImages.MASK]
 * (the caption's words through its text side, then [tokenizer]) and [CaptionedImages.EXAMPLE].
 * With [randomCaption] the caption is drawn from the image's captions anew in every epoch, else
 * the canonical one is used.
 *
 * The pair of example i in epoch e depends only on (seed, e, i) ([MultimodalAugmentation]; the
 * caption is drawn from a third stream, [CAPTION_STREAM]): the same whatever the batch size, the
 * shuffling, [prefetch] or [workers]. [batches] computes the pairs on a background thread at most
 * [prefetch] batches ahead of the training step (0: on the caller's thread); [batch] gives those
 * of epoch 0.
 */
class MultimodalDataset private constructor(
  /** The image-caption pairs that are augmented. */
  val source: CaptionedImages,
  /** Turns the augmented words into ids and mask. */
  val tokenizer: Tokenizer,
  /** The image and text augmentations applied to each pair. */
  val augmentation: MultimodalAugmentation,
  /** Seed of the pairs' random streams: with the epoch and example it fixes every pair. */
  val seed: Long,
  /** Whether the caption is drawn from the image's captions in each epoch (else the canonical one). */
  val randomCaption: Boolean,
  /** Batches computed ahead of the training step on a background thread; 0 computes them on the caller's thread. */
  val prefetch: Int,
  /** Threads that share the image augmentation of one batch. */
  val workers: Int,
) : Dataset {
  init {
    require(prefetch >= 0) { "prefetch must be >= 0, got $prefetch" }
    require(workers > 0) { "workers must be > 0, got $workers" }
  }

  /** The shape of one augmented image, e.g. [32, 32, 3]: the CLIP model's image input. */
  val imageShape: ImageShape = try {
    augmentation.outputShape(ImageShape.ofBatch(source.images))
  } catch (e: IllegalArgumentException) {
    throw IllegalArgumentException("augmentation: its image side cannot take the source's ${source.imageShape.contentToString()} images: ${e.message}", e)
  }

  override val size: Int get() = source.size

  /** The same pairs with [batches] computed at most [count] batches ahead (0 = on the caller's thread). */
  fun withPrefetch(count: Int): MultimodalDataset = MultimodalDataset(source, tokenizer, augmentation, seed, randomCaption, count, workers)

  /** The same pairs with the images of a batch augmented by [count] threads. */
  fun withWorkers(count: Int): MultimodalDataset = MultimodalDataset(source, tokenizer, augmentation, seed, randomCaption, prefetch, count)

  override fun batch(indices: IntArray): Batch = batch(indices, 0)

  /** The examples at [indices] as augmented in [epoch]. */
  fun batch(indices: IntArray, epoch: Int): Batch {
    require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
    indices.forEachIndexed { k, i -> require(i in 0 until size) { "indices[$k] must be in 0 until $size, got $i" } }
    return assemble(indices, epoch)
  }

  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
    val order = Dataset.epochOrder(size, shuffle, seed, epoch)
    val count = Dataset.batchCount(size, batchSize, dropLast)
    val produce = { b: Int -> assemble(Dataset.batchIndices(order, b, batchSize), epoch) }
    return if (prefetch == 0) BatchIterator.of((0 until count).asSequence().map(produce).iterator()) else PrefetchIterator(count, prefetch, produce)
  }

  private fun assemble(indices: IntArray, epoch: Int): Batch {
    val words = indices.map { i ->
      val options = source.captions(i)
      val caption = if (randomCaption && options.size > 1) options[Augmentation.random(seed, epoch, i, CAPTION_STREAM).nextInt(options.size)] else options[0]
      tokenizer.split(caption)
    }
    val augmented = augmentation.applyTo(source.images.gather(indices), words, seed, epoch, indices, workers)
    val encoded = tokenizer.encodeWords(augmented.words)
    return Batch(
      mapOf(
        Batch.IMAGE to augmented.images,
        CaptionedImages.TOKENS to encoded.tokens,
        CaptionedImages.MASK to encoded.mask,
        CaptionedImages.EXAMPLE to IntHostArray(indices.copyOf(), intArrayOf(indices.size)),
      ),
    )
  }

  override fun toString(): String = "MultimodalDataset($size pairs, $augmentation, ${if (randomCaption) "a random caption" else "the canonical caption"} per image)"

  companion object {
    /** The stream the caption is drawn from, beside [MultimodalAugmentation.IMAGE_STREAM] and [MultimodalAugmentation.TEXT_STREAM]. */
    const val CAPTION_STREAM = 2

    /** Batches computed ahead by default. */
    const val DEFAULT_PREFETCH = 2

    /** The pairs of [source], tokenized by [tokenizer], augmented by [augmentation] under [seed]. */
    @JvmStatic
    @JvmOverloads
    fun of(source: CaptionedImages, tokenizer: Tokenizer, augmentation: MultimodalAugmentation, seed: Long = 0L, randomCaption: Boolean = true): MultimodalDataset =
      MultimodalDataset(source, tokenizer, augmentation, seed, randomCaption, DEFAULT_PREFETCH, 1)
  }
}

/** These pairs with both sides augmented per example ([MultimodalDataset.of]): `train.augmented(tokenizer, aug, seed = 42)`. */
@JvmOverloads
fun CaptionedImages.augmented(tokenizer: Tokenizer, augmentation: MultimodalAugmentation, seed: Long = 0L, randomCaption: Boolean = true): MultimodalDataset =
  MultimodalDataset.of(this, tokenizer, augmentation, seed, randomCaption)
