package io.github.kontrast.dsl.data

import io.github.kontrast.dsl.text.TextAugmentation
import io.github.kontrast.dsl.text.Tokenizer

/**
 * Images with captions, for image-text training (CLIP): [images] float `[N, H, W, C]`; [captions] one
 * or more per image, the first being its canonical caption (the one evaluation and search use);
 * [labels] a class per image, named by [classNames] (the classes of zero-shot classification);
 * [groups] images that belong together (an emoji and its skin tones) and so stay on one side of
 * a [split]; [names] what to call each image in a figure.
 */
class CaptionedImages @JvmOverloads constructor(
  /** The images, float `[N, H, W, C]`. */
  val images: FloatHostArray,
  captions: List<List<String>>,
  labels: IntArray,
  classNames: List<String>,
  groups: IntArray? = null,
  names: List<String>? = null,
) {
  private val captionLists = captions.map { it.toList() }
  private val labelArray = labels.copyOf()
  /** The name of every class, indexed by label. */
  val classNames: List<String> = classNames.toList()
  private val groupArray = groups?.copyOf() ?: IntArray(labels.size) { it }
  /** What to call each image in a figure (by default its canonical caption). */
  val names: List<String> = names?.toList() ?: captionLists.map { it.firstOrNull() ?: "" }

  init {
    require(images.shape.size >= 2) { "images must be [N, ...], got ${images.shape.contentToString()}" }
    val n = images.rows
    require(captionLists.size == n) { "captions: expected one list per image ($n), got ${captionLists.size}" }
    captionLists.forEachIndexed { i, c -> require(c.isNotEmpty()) { "image $i has no caption" } }
    require(labelArray.size == n) { "labels: expected one per image ($n), got ${labelArray.size}" }
    labelArray.forEachIndexed { i, l -> require(l in this.classNames.indices) { "label of image $i must be in 0 until ${this.classNames.size}, got $l" } }
    require(groupArray.size == n) { "groups: expected one per image ($n), got ${groupArray.size}" }
    require(this.names.size == n) { "names: expected one per image ($n), got ${this.names.size}" }
  }

  /** Number of images. */
  val size: Int get() = images.rows

  /** Shape of one image, e.g. [32, 32, 3]. */
  val imageShape: IntArray get() = images.shape.copyOfRange(1, images.shape.size)

  /** The canonical caption of image [i]. */
  fun caption(i: Int): String = captionLists[i][0]

  /** Every caption of image [i], canonical first. */
  fun captions(i: Int): List<String> = captionLists[i]

  /** The canonical captions, in image order. */
  val canonicalCaptions: List<String> get() = captionLists.map { it[0] }

  /** Every caption of every image (to build a vocabulary from). */
  val allCaptions: List<String> get() = captionLists.flatten()

  /** The class of image `i`, an index into [classNames]. */
  fun label(i: Int): Int = labelArray[i]

  /** The class of every image (a copy). */
  val labels: IntArray get() = labelArray.copyOf()

  /** The group of image `i`: images of one group stay on one side of a [split]. */
  fun group(i: Int): Int = groupArray[i]

  /** The images at [indices], in that order, with their captions, labels, groups and names. */
  fun gather(indices: IntArray): CaptionedImages = CaptionedImages(
    images.gather(indices), indices.map { captionLists[it] }, IntArray(indices.size) { labelArray[indices[it]] },
    classNames, IntArray(indices.size) { groupArray[indices[it]] }, indices.map { names[it] },
  )

  /**
   * (training, held-out): whole groups drawn at random (from [seed]) into the held-out part until it
   * holds at least [heldOutFraction] of the images, so no held-out image, nor a variant of one,
   * is seen in training. Both parts keep the original order.
   */
  fun split(heldOutFraction: Double, seed: Long): Pair<CaptionedImages, CaptionedImages> {
    require(heldOutFraction > 0.0 && heldOutFraction < 1.0) { "heldOutFraction must be in (0, 1), got $heldOutFraction" }
    val distinct = groupArray.distinct().toIntArray()
    val order = Dataset.epochOrder(distinct.size, true, seed, 0)
    val members = groupArray.indices.groupBy { groupArray[it] }
    val held = HashSet<Int>()
    var count = 0
    for (k in order) {
      if (count >= heldOutFraction * size) break
      held += distinct[k]
      count += members.getValue(distinct[k]).size
    }
    require(count < size) { "heldOutFraction $heldOutFraction leaves nothing to train on" }
    val heldOut = groupArray.indices.filter { groupArray[it] in held }.toIntArray()
    val train = groupArray.indices.filter { groupArray[it] !in held }.toIntArray()
    return gather(train) to gather(heldOut)
  }

  /**
   * The pairs as a pipeline reads them: [Batch.IMAGE] and, made on the data-loading thread,
   * [TOKENS] and [MASK] from one caption per image, plus [EXAMPLE] (the image's index). With
   * [randomCaption] the caption is drawn from the image's captions anew in every epoch, else the
   * canonical one is used; [text] then augments its words. Every image gets a generator of its
   * own (split from the batch's, which comes from [seed], the epoch and the batch), so an
   * example's caption and augmentation repeat in a repeated run.
   */
  @JvmOverloads
  fun dataset(tokenizer: Tokenizer, seed: Long = 0L, randomCaption: Boolean = true, text: TextAugmentation? = null): Dataset {
    val base = ArrayDataset(mapOf(Batch.IMAGE to images, EXAMPLE to IntHostArray(IntArray(size) { it }, intArrayOf(size))))
    if (!randomCaption && text == null) {
      val encoded = tokenizer.encode(canonicalCaptions)
      return ArrayDataset(base.arrays + mapOf(TOKENS to encoded.tokens, MASK to encoded.mask))
    }
    return base.map(seed) { batch, random ->
      val examples = batch.ints(EXAMPLE).data
      val words = examples.map { i ->
        val r = random.split()
        val options = captionLists[i]
        val caption = if (randomCaption) options[r.nextInt(options.size)] else options[0]
        val split = tokenizer.split(caption)
        text?.apply(split, r) ?: split
      }
      val encoded = tokenizer.encodeWords(words)
      batch.with(TOKENS, encoded.tokens).with(MASK, encoded.mask)
    }
  }

  /** The canonical captions, encoded, as [dataset] without randomness: for evaluation and search. */
  fun evaluation(tokenizer: Tokenizer): Dataset = dataset(tokenizer, randomCaption = false)

  override fun toString() = "CaptionedImages($size images ${imageShape.contentToString()}, ${classNames.size} classes)"

  companion object {
    /** Batch array names: word ids [N, L], padding mask [N, L], the image's index in its set. */
    const val TOKENS = "tokens"
    /** The padding mask, float `[N, L]`: 1 at a word, 0 at padding. */
    const val MASK = "mask"
    /** The image's index in its set, int `[N]`. */
    const val EXAMPLE = "example"
  }
}
