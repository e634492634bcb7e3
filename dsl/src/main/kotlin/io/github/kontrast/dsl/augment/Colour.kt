package io.github.kontrast.dsl.augment

import kotlin.math.floor

/** Colour arithmetic on interleaved RGB floats in [0, 1], as torchvision's tensor functions do it. */
internal object Colour {
  const val R = 0.299f
  const val G = 0.587f
  const val B = 0.114f

  /** The luma of the RGB pixel at [i] (the index of its red value). */
  fun luma(d: FloatArray, i: Int): Float = R * d[i] + G * d[i + 1] + B * d[i + 2]

  /** Every RGB pixel replaced by its luma in all three channels. */
  fun toGrey(d: FloatArray) {
    var i = 0
    while (i < d.size) {
      val y = luma(d, i)
      d[i] = y; d[i + 1] = y; d[i + 2] = y
      i += 3
    }
  }

  /** [factor] * value + (1 - [factor]) * [other], clamped to [0, 1]: torchvision's _blend. */
  fun blend(value: Float, other: Float, factor: Float): Float = (factor * value + (1f - factor) * other).coerceIn(0f, 1f)

  /** Rotates the hue of every RGB pixel by [shift] turns (in [-0.5, 0.5]) through HSV, as torchvision's adjust_hue. */
  fun shiftHue(d: FloatArray, shift: Float) {
    var i = 0
    while (i < d.size) {
      val r = d[i]; val g = d[i + 1]; val b = d[i + 2]
      val max = maxOf(r, maxOf(g, b))
      val min = minOf(r, minOf(g, b))
      val chroma = max - min
      if (chroma > 0f) { // a grey pixel has no hue to rotate
        val s = chroma / max
        val rc = (max - r) / chroma
        val gc = (max - g) / chroma
        val bc = (max - b) / chroma
        val h6 = when {
          max == r -> bc - gc
          max == g -> 2f + rc - bc
          else -> 4f + gc - rc
        }
        var h = (h6 / 6f + 1f) % 1f
        h = ((h + shift) % 1f + 1f) % 1f
        hsvToRgb(h, s, max, d, i)
      }
      i += 3
    }
  }

  /** Writes the RGB of (h, s, v) to [d] at [i]. */
  private fun hsvToRgb(h: Float, s: Float, v: Float, d: FloatArray, i: Int) {
    val h6 = h * 6f
    val sector = floor(h6)
    val f = h6 - sector
    val p = (v * (1f - s)).coerceIn(0f, 1f)
    val q = (v * (1f - s * f)).coerceIn(0f, 1f)
    val t = (v * (1f - s * (1f - f))).coerceIn(0f, 1f)
    when (((sector.toInt() % 6) + 6) % 6) {
      0 -> { d[i] = v; d[i + 1] = t; d[i + 2] = p }
      1 -> { d[i] = q; d[i + 1] = v; d[i + 2] = p }
      2 -> { d[i] = p; d[i + 1] = v; d[i + 2] = t }
      3 -> { d[i] = p; d[i + 1] = q; d[i + 2] = v }
      4 -> { d[i] = t; d[i + 1] = p; d[i + 2] = v }
      else -> { d[i] = v; d[i + 1] = p; d[i + 2] = q }
    }
  }
}
