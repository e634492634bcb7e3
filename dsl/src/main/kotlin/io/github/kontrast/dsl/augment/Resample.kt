package io.github.kontrast.dsl.augment

/**
 * Bilinear resampling of a box of an image to another size, separable (rows, then columns). When
 * the box is shrunk the triangle filter is widened by the shrink factor, so every source pixel
 * counts (antialiasing), as PIL's BILINEAR and torchvision's resize with antialias=True do; when it
 * is enlarged this is plain bilinear interpolation with pixel centres at +0.5 and the edges
 * repeated.
 */
internal object Resample {
  /**
   * For each of `outSize` output positions, the source positions (offsets from `start`) and their
   * weights that resample `inSize` pixels starting at `start`: PIL's coefficient rule.
   */
  class Taps(val first: IntArray, val count: IntArray, val weights: Array<FloatArray>)

  fun taps(inSize: Int, outSize: Int, start: Int): Taps {
    val scale = inSize.toDouble() / outSize
    val filterScale = maxOf(scale, 1.0)
    val support = filterScale // the triangle filter reaches one pixel, times the shrink factor
    val first = IntArray(outSize)
    val count = IntArray(outSize)
    val weights = Array(outSize) { FloatArray(0) }
    for (o in 0 until outSize) {
      val centre = (o + 0.5) * scale
      val lo = maxOf(0, (centre - support + 0.5).toInt())
      val hi = minOf(inSize, (centre + support + 0.5).toInt())
      val w = DoubleArray(hi - lo) { k -> triangle((lo + k - centre + 0.5) / filterScale) }
      val sum = w.sum()
      first[o] = start + lo
      count[o] = hi - lo
      weights[o] = FloatArray(w.size) { (w[it] / sum).toFloat() }
    }
    return Taps(first, count, weights)
  }

  private fun triangle(x: Double): Double {
    val a = kotlin.math.abs(x)
    return if (a < 1.0) 1.0 - a else 0.0
  }

  /** The box ([top], [left], [boxHeight], [boxWidth]) of [image] resampled to [outHeight] x [outWidth]. */
  fun box(image: HostImage, top: Int, left: Int, boxHeight: Int, boxWidth: Int, outHeight: Int, outWidth: Int): HostImage {
    val c = image.channels
    val src = image.data
    val cols = taps(boxWidth, outWidth, left)
    val rows = taps(boxHeight, outHeight, top)
    // rows pass: the box's rows, each resampled to outWidth
    val mid = FloatArray(boxHeight * outWidth * c)
    for (y in 0 until boxHeight) {
      val srcRow = (top + y) * image.width * c
      val midRow = y * outWidth * c
      for (x in 0 until outWidth) {
        val f = cols.first[x]
        val w = cols.weights[x]
        for (ch in 0 until c) {
          var s = 0f
          for (k in w.indices) s += w[k] * src[srcRow + (f + k) * c + ch]
          mid[midRow + x * c + ch] = s
        }
      }
    }
    // columns pass: for each output row, a weighted sum of the rows of mid
    val out = FloatArray(outHeight * outWidth * c)
    val rowLength = outWidth * c
    for (y in 0 until outHeight) {
      val f = rows.first[y] - top
      val w = rows.weights[y]
      val outRow = y * rowLength
      for (k in w.indices) {
        val wk = w[k]
        val midRow = (f + k) * rowLength
        for (i in 0 until rowLength) out[outRow + i] += wk * mid[midRow + i]
      }
    }
    return HostImage(outHeight, outWidth, c, out)
  }
}
