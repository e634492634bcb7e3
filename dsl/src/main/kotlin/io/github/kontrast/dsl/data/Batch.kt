package io.github.kontrast.dsl.data

/**
 * One batch of examples: named arrays that share their first dimension. The names are the
 * contract between a dataset and a pipeline (a Siamese pipeline reads [FIRST], [SECOND], [LABEL]).
 */
class Batch(val arrays: Map<String, HostArray>) {
  init {
    require(arrays.isNotEmpty()) { "a batch needs at least one array" }
    val sizes = arrays.mapValues { it.value.rows }
    require(sizes.values.toSet().size == 1) { "arrays of one batch must have the same first dimension, got $sizes" }
  }

  /** Number of examples. */
  val size: Int get() = arrays.values.first().rows

  operator fun get(name: String): HostArray =
    arrays[name] ?: throw IllegalArgumentException("batch has no array named '$name'; it has ${arrays.keys}")

  fun floats(name: String): FloatHostArray = get(name) as? FloatHostArray
    ?: throw IllegalArgumentException("array '$name' holds ${get(name).javaClass.simpleName}, expected floats")

  fun ints(name: String): IntHostArray = get(name) as? IntHostArray
    ?: throw IllegalArgumentException("array '$name' holds ${get(name).javaClass.simpleName}, expected ints")

  /** This batch with [name] set to [array] (added or replaced). */
  fun with(name: String, array: HostArray): Batch = Batch(arrays + (name to array))

  /** The rows at [indices] of every array. */
  fun gather(indices: IntArray): Batch = Batch(arrays.mapValues { it.value.gather(indices) })

  companion object {
    /** Standard names: pair members, their label, class labels, images, augmented views. */
    const val FIRST = "first"
    const val SECOND = "second"
    const val LABEL = "label"
    const val ANCHOR = "anchor"
    const val POSITIVE = "positive"
    const val NEGATIVE = "negative"
    const val IMAGE = "image"
    const val CLASS = "class"
    const val VIEW1 = "view1"
    const val VIEW2 = "view2"
  }
}
