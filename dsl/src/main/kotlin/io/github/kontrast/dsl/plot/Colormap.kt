package io.github.kontrast.dsl.plot

/**
 * Maps grey levels in [0, 1] to RGB, for pictures that look like matplotlib's imshow (Lets-Plot's
 * Kotlin geomImshow draws one-channel images in grey only). Values outside [0, 1] are clipped.
 */
enum class Colormap(private val anchors: List<Int>) {
  /** Matplotlib's default, which document 001's figures show: viridis at 0, 1/7, ..., 1, interpolated. */
  VIRIDIS(listOf(0x440154, 0x46327e, 0x365c8d, 0x277f8e, 0x1fa187, 0x4ac16d, 0xa0da39, 0xfde725)),

  /** Black (0) to white (1). */
  GREYS(listOf(0x000000, 0xffffff)),

  /** White (0) to black (1), as handwriting on paper. */
  GREYS_INVERTED(listOf(0xffffff, 0x000000));

  /** The colour of [value] as 0xRRGGBB, linearly interpolated between the anchors. */
  fun rgb(value: Float): Int {
    val v = if (value.isNaN()) 0f else value.coerceIn(0f, 1f)
    val pos = v * (anchors.size - 1)
    val i = minOf(pos.toInt(), anchors.size - 2)
    val t = pos - i
    val a = anchors[i]
    val b = anchors[i + 1]
    fun channel(shift: Int): Int {
      val ca = (a shr shift) and 0xFF
      val cb = (b shr shift) and 0xFF
      return Math.round(ca + (cb - ca) * t)
    }
    return (channel(16) shl 16) or (channel(8) shl 8) or channel(0)
  }

  /** [pixels] (grey levels) as interleaved RGB values 0..255, three per pixel. */
  fun toRgb(pixels: FloatArray): IntArray {
    val out = IntArray(pixels.size * 3)
    pixels.forEachIndexed { k, v ->
      val c = rgb(v)
      out[3 * k] = (c shr 16) and 0xFF
      out[3 * k + 1] = (c shr 8) and 0xFF
      out[3 * k + 2] = c and 0xFF
    }
    return out
  }
}
