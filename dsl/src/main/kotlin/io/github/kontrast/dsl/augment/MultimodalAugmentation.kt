package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.text.TextAugmentation
import java.util.SplittableRandom

/**
 * Document 004's MultimodalAugmentation: an [image] augmentation and a [text] augmentation applied
 * to one image-caption pair. Immutable; build with [multimodalAugmentation] { } (Kotlin) or
 * [builder] (Java), feed a CLIP model with [MultimodalDataset].
 *
 * Randomness is per example, as in [Augmentation]: the pair of example i in epoch e is drawn from
 * two generators seeded by (seed, e, i) and the side ([IMAGE_STREAM], [TEXT_STREAM]), never from
 * the batch or the thread. So an example's pair is the same whatever the batch size, the order
 * or the number of workers, and a change to one side's recipe leaves the other side's draws as
 * they were. The document returns two augmented pairs per example; CLIP needs one, and a second
 * is [apply] with another epoch or seed.
 */
class MultimodalAugmentation @JvmOverloads constructor(
  /** The image side (no steps: images pass unchanged). */
  val image: Augmentation = Augmentation(emptyList()),
  /** The text side, on the caption's words ([TextAugmentation.identity]: words pass unchanged). */
  val text: TextAugmentation = TextAugmentation.identity(),
) {
  /** This augmentation with [image] as its image side. */
  fun withImage(image: Augmentation): MultimodalAugmentation = MultimodalAugmentation(image, text)

  /** This augmentation with [text] as its text side. */
  fun withText(text: TextAugmentation): MultimodalAugmentation = MultimodalAugmentation(image, text)

  /** The shape of an augmented image for inputs of shape [input]; fails naming the image step that cannot take it. */
  fun outputShape(input: ImageShape): ImageShape = image.outputShape(input)

  /**
   * The augmented pair of example [example] in [epoch] under [seed]: [image] (which may be changed:
   * pass a copy to keep it) and the caption's [words], each side drawing from its own generator.
   */
  fun apply(image: HostImage, words: List<String>, seed: Long, epoch: Int, example: Int): AugmentedPair {
    require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
    require(example >= 0) { "example must be >= 0, got $example" }
    return AugmentedPair(
      this.image.apply(image, imageRandom(seed, epoch, example)),
      text.apply(words, textRandom(seed, epoch, example)),
    )
  }

  /**
   * The augmented pairs of a batch: image k of [images] (`[N, H, W, C]` or `[N, H, W]`) with caption
   * [words]`[k]` is example `examples[k]` (default k) of [epoch]. [workers] threads share the images;
   * the result does not depend on their number. Returns the images `[N]` + the output shape and
   * the augmented words, in the batch's order.
   */
  @JvmOverloads
  fun applyTo(
    images: FloatHostArray,
    words: List<List<String>>,
    seed: Long,
    epoch: Int = 0,
    examples: IntArray = IntArray(images.rows) { it },
    workers: Int = 1,
  ): AugmentedBatch {
    require(words.size == images.rows) { "words must hold one caption per image (${images.rows}), got ${words.size}" }
    require(examples.size == images.rows) { "examples must have one index per image (${images.rows}), got ${examples.size}" }
    require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
    examples.forEachIndexed { k, e -> require(e >= 0) { "examples[$k] must be >= 0, got $e" } }
    val out = image.applyTo(images, seed, epoch, examples, IMAGE_STREAM, workers)
    val texts = words.indices.map { k -> text.apply(words[k], textRandom(seed, epoch, examples[k])) }
    return AugmentedBatch(out, texts)
  }

  override fun toString(): String = "MultimodalAugmentation(image=$image, text=$text)"

  companion object {
    /** The stream of the image side: [Augmentation.random]'s view number. */
    const val IMAGE_STREAM = 0

    /** The stream of the text side. */
    const val TEXT_STREAM = 1

    /** A builder for Java: `MultimodalAugmentation.builder().image(aug).wordDropout(0.1).build()`. */
    @JvmStatic
    fun builder(): MultimodalAugmentationBuilder = MultimodalAugmentationBuilder()

    /** The image side's generator for example [example] of [epoch] under [seed]. */
    @JvmStatic
    fun imageRandom(seed: Long, epoch: Int, example: Int): SplittableRandom = Augmentation.random(seed, epoch, example, IMAGE_STREAM)

    /** The text side's generator for example [example] of [epoch] under [seed]. */
    @JvmStatic
    fun textRandom(seed: Long, epoch: Int, example: Int): SplittableRandom = Augmentation.random(seed, epoch, example, TEXT_STREAM)
  }
}

/**
 * One augmented image-caption pair.
 *
 * @property image the augmented image.
 * @property words the augmented caption's words.
 */
class AugmentedPair(val image: HostImage, val words: List<String>)

/**
 * A batch of augmented pairs.
 *
 * @property images the augmented images, `[N, H, W, C]`.
 * @property words the augmented captions' words, one list per image.
 */
class AugmentedBatch(val images: FloatHostArray, val words: List<List<String>>)
