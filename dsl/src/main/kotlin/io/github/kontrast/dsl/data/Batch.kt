package io.github.kontrast.dsl.data

/**
 * One batch of examples: named arrays that share their first dimension. The names are the
 * contract between a dataset and a pipeline (a Siamese pipeline reads [FIRST], [SECOND], [LABEL]).
 *
 * @property arrays the arrays by name; they all have the same number of rows, the batch size.
 */
class Batch(val arrays: Map<String, HostArray>) {
  init {
    require(arrays.isNotEmpty()) { "a batch needs at least one array" }
    val sizes = arrays.mapValues { it.value.rows }
    require(sizes.values.toSet().size == 1) { "arrays of one batch must have the same first dimension, got $sizes" }
  }

  /** Number of examples. */
  val size: Int get() = arrays.values.first().rows

  /** The array named [name]; an IllegalArgumentException that lists the names there are when it is missing. */
  operator fun get(name: String): HostArray =
    arrays[name] ?: throw IllegalArgumentException("batch has no array named '$name'; it has ${arrays.keys}")

  /** The array named [name] as floats; an IllegalArgumentException when it is missing or holds ints. */
  fun floats(name: String): FloatHostArray = get(name) as? FloatHostArray
    ?: throw IllegalArgumentException("array '$name' holds ${get(name).javaClass.simpleName}, expected floats")

  /** The array named [name] as ints; an IllegalArgumentException when it is missing or holds floats. */
  fun ints(name: String): IntHostArray = get(name) as? IntHostArray
    ?: throw IllegalArgumentException("array '$name' holds ${get(name).javaClass.simpleName}, expected ints")

  /** This batch with [name] set to [array] (added or replaced). */
  fun with(name: String, array: HostArray): Batch = Batch(arrays + (name to array))

  /** The rows at [indices] of every array. */
  fun gather(indices: IntArray): Batch = Batch(arrays.mapValues { it.value.gather(indices) })

  companion object {
    // Standard names: pair members, their label, triplet members, images and class labels, augmented views.

    /** The first member of each pair ([PairDataset]). */
    const val FIRST = "first"

    /** The second member of each pair ([PairDataset]). */
    const val SECOND = "second"

    /** The pair label, float `[B]`; [PairDataset] writes 1 for a similar pair, 0 for a dissimilar one. */
    const val LABEL = "label"

    /** The anchor of each triplet ([TripletDataset]). */
    const val ANCHOR = "anchor"

    /** An example of the anchor's class ([TripletDataset]). */
    const val POSITIVE = "positive"

    /** An example of another class than the anchor's ([TripletDataset]). */
    const val NEGATIVE = "negative"

    /** The images of a labelled set ([LabeledImages.toDataset]). */
    const val IMAGE = "image"

    /** The class label of each image, int `[B]` ([LabeledImages.toDataset]). */
    const val CLASS = "class"

    /** The first augmented view of each example (see [Dataset.map]). */
    const val VIEW1 = "view1"

    /** The second augmented view of each example (see [Dataset.map]). */
    const val VIEW2 = "view2"
  }
}
