package io.github.kontrast.dsl.data

/**
 * A dense array on the JVM heap with a shape, row-major. It is what datasets produce and what the
 * engine copies into a TensorFlow tensor, so the first dimension is the batch dimension.
 *
 * @property shape the dimensions, outermost first; empty for a scalar. Do not change it: it is not copied.
 */
sealed class HostArray(val shape: IntArray) {
  init {
    require(shape.all { it >= 0 }) { "shape must not have negative dimensions, got ${shape.contentToString()}" }
  }

  /** Number of elements the shape holds. */
  val elementCount: Int get() = shape.fold(1) { a, b -> a * b }

  /** Size of the first dimension (the batch), 1 for a scalar. */
  val rows: Int get() = if (shape.isEmpty()) 1 else shape[0]

  /** Elements in one row: the product of every dimension but the first. */
  val rowLength: Int get() = if (shape.isEmpty()) 1 else shape.drop(1).fold(1) { a, b -> a * b }

  /** A new array holding the rows at [indices], in that order. */
  abstract fun gather(indices: IntArray): HostArray

  override fun toString(): String = "${javaClass.simpleName}${shape.contentToString()}"
}

/**
 * A float array with a shape (images, embeddings, pair labels).
 *
 * @property data the elements, row-major; its size must be the product of [shape]. Not copied.
 */
class FloatHostArray(val data: FloatArray, shape: IntArray) : HostArray(shape) {
  init {
    require(data.size == elementCount) {
      "data holds ${data.size} floats but shape ${shape.contentToString()} needs $elementCount"
    }
  }

  override fun gather(indices: IntArray): FloatHostArray {
    val n = rowLength
    val out = FloatArray(indices.size * n)
    indices.forEachIndexed { i, r ->
      require(r in 0 until rows) { "row index $r is outside 0 until $rows" }
      System.arraycopy(data, r * n, out, i * n, n)
    }
    return FloatHostArray(out, intArrayOf(indices.size) + shape.drop(1))
  }
}

/**
 * An int array with a shape (class labels, indices).
 *
 * @property data the elements, row-major; its size must be the product of [shape]. Not copied.
 */
class IntHostArray(val data: IntArray, shape: IntArray) : HostArray(shape) {
  init {
    require(data.size == elementCount) {
      "data holds ${data.size} ints but shape ${shape.contentToString()} needs $elementCount"
    }
  }

  override fun gather(indices: IntArray): IntHostArray {
    val n = rowLength
    val out = IntArray(indices.size * n)
    indices.forEachIndexed { i, r ->
      require(r in 0 until rows) { "row index $r is outside 0 until $rows" }
      System.arraycopy(data, r * n, out, i * n, n)
    }
    return IntHostArray(out, intArrayOf(indices.size) + shape.drop(1))
  }
}
