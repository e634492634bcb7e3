package io.github.kontrast.dsl.data

/**
 * Images with one class label each: [images] float `[N, ...]` (MNIST: `[N, 28, 28, 1]` in [0, 1]),
 * [labels] int `[N]`. What document 001 keeps as (x_train, y_train).
 *
 * @property images the images, float, one per row.
 * @property labels the class label of each image, int `[N]`.
 */
class LabeledImages(val images: FloatHostArray, val labels: IntHostArray) {
  init {
    require(labels.shape.size == 1) { "labels must be one-dimensional [N], got shape ${labels.shape.contentToString()}" }
    require(images.shape.isNotEmpty() && images.rows == labels.rows) {
      "images and labels must have the same number of rows, got images ${images.shape.contentToString()} and labels ${labels.shape.contentToString()}"
    }
  }

  /** Number of images. */
  val size: Int get() = labels.rows

  /** Shape of one image, e.g. [28, 28, 1]. */
  val imageShape: IntArray get() = images.shape.copyOfRange(1, images.shape.size)

  /** The label of image [i]. */
  fun label(i: Int): Int = labels.data[i]

  /** The distinct labels, ascending. */
  val classes: IntArray get() = labels.data.distinct().sorted().toIntArray()

  /** How many images each label has, by ascending label. */
  fun classCounts(): Map<Int, Int> = labels.data.groupBy { it }.mapValues { it.value.size }.toSortedMap()

  /** The images at [indices], in that order. */
  fun gather(indices: IntArray): LabeledImages = LabeledImages(images.gather(indices), labels.gather(indices))

  /** The first [n] images (all of them when there are fewer), as Python's x[:n]. */
  fun take(n: Int): LabeledImages {
    require(n >= 0) { "n must be >= 0, got $n" }
    return if (n >= size) this else gather(IntArray(n) { it })
  }

  /**
   * Document 001's split: the FIRST int(size * [validationFraction]) images are the validation
   * set, the rest the training set (60,000 -> 48,000 training, 12,000 validation with 0.2).
   */
  fun split(validationFraction: Double = 0.2): ValidationSplit {
    require(validationFraction in 0.0..1.0) { "validationFraction must be in [0, 1], got $validationFraction" }
    val v = (size * validationFraction).toInt() // truncates like Python's int()
    return ValidationSplit(
      train = gather(IntArray(size - v) { v + it }),
      validation = gather(IntArray(v) { it }),
    )
  }

  /** Document 001's pairs: one positive and one negative partner per image, shuffled ([PairDataset]). */
  @JvmOverloads
  fun pairs(seed: Long = 0L): PairDataset = PairDataset.generate(this, seed)

  /** One (anchor, positive, negative) triplet per image ([TripletDataset]). */
  @JvmOverloads
  fun triplets(seed: Long = 0L): TripletDataset = TripletDataset.generate(this, seed)

  /** The images as a dataset with arrays [Batch.IMAGE] and [Batch.CLASS]. */
  fun toDataset(): ArrayDataset = ArrayDataset(Batch.IMAGE to images, Batch.CLASS to labels)

  override fun toString(): String = "LabeledImages($size images of ${imageShape.contentToString()}, ${classes.size} classes)"

  companion object {
    /**
     * Document 001's preprocess: bytes [N, rows, cols] become floats [N, rows, cols, 1] divided by
     * 255; labels become ints.
     */
    @JvmStatic
    fun fromBytes(images: UInt8Array, labels: UInt8Array): LabeledImages {
      require(images.shape.size == 3) { "images must be [N, rows, cols], got ${images.shape.contentToString()}" }
      require(labels.shape.size == 1) { "labels must be [N], got ${labels.shape.contentToString()}" }
      require(images.rows == labels.rows) { "there are ${images.rows} images but ${labels.rows} labels" }
      return LabeledImages(images.toFloats(255f, images.shape + 1), labels.toInts())
    }
  }
}

/**
 * A training set and the validation set split off it ([LabeledImages.split]).
 *
 * @property train the images kept for training.
 * @property validation the images split off for validation.
 */
class ValidationSplit(val train: LabeledImages, val validation: LabeledImages) {
  /** [train], so that `val (train, validation) = images.split()` works. */
  operator fun component1(): LabeledImages = train

  /** [validation], the second half of `val (train, validation) = images.split()`. */
  operator fun component2(): LabeledImages = validation
  override fun toString(): String = "ValidationSplit(train=${train.size}, validation=${validation.size})"
}
