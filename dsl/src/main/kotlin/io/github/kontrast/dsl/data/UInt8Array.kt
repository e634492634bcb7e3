package io.github.kontrast.dsl.data

/**
 * Unsigned bytes with a shape, row-major: what the IDX and .npy readers return before any
 * conversion (60,000 MNIST images are 47 MB as bytes and 188 MB as floats).
 *
 * @property shape the dimensions, outermost first; their product must be the size of [data].
 * @property data the bytes, row-major; read them as unsigned with [get].
 */
class UInt8Array(val shape: IntArray, val data: ByteArray) {
  init {
    require(shape.all { it >= 0 }) { "shape must not have negative dimensions, got ${shape.contentToString()}" }
    val needed = shape.fold(1L) { a, b -> a * b }
    require(needed == data.size.toLong()) {
      "data holds ${data.size} bytes but shape ${shape.contentToString()} needs $needed"
    }
  }

  /** Size of the first dimension. */
  val rows: Int get() = if (shape.isEmpty()) 1 else shape[0]

  /** The value at flat position [i], 0..255. */
  operator fun get(i: Int): Int = data[i].toInt() and 0xFF

  /** The values divided by [divisor] (255 maps to 1.0), with shape [newShape] (default: the same). */
  fun toFloats(divisor: Float = 255f, newShape: IntArray = shape): FloatHostArray {
    require(divisor > 0f && divisor.isFinite()) { "divisor must be a positive finite number, got $divisor" }
    val out = FloatArray(data.size) { (data[it].toInt() and 0xFF) / divisor }
    return FloatHostArray(out, newShape)
  }

  /** The values as ints 0..255 with the same shape (class labels). */
  fun toInts(): IntHostArray = IntHostArray(IntArray(data.size) { data[it].toInt() and 0xFF }, shape)

  /** The rows at [indices], in that order. */
  fun gather(indices: IntArray): UInt8Array {
    val n = if (shape.isEmpty()) 1 else shape.drop(1).fold(1) { a, b -> a * b }
    val out = ByteArray(indices.size * n)
    indices.forEachIndexed { k, r ->
      require(r in 0 until rows) { "row index $r is outside 0 until $rows" }
      System.arraycopy(data, r * n, out, k * n, n)
    }
    return UInt8Array(intArrayOf(indices.size) + shape.drop(1), out)
  }

  override fun toString(): String = "UInt8Array${shape.contentToString()}"
}
