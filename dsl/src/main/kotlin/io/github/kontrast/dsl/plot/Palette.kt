package io.github.kontrast.dsl.plot

import java.awt.image.BufferedImage
import java.awt.image.IndexColorModel

/**
 * Reduces an opaque picture to a palette of at most 256 colours, for smaller PNG files.
 *
 * A plot is a few flat colours (background, grid, lines, text) plus the antialiased edges between
 * them. The palette keeps the most frequent colours exactly and draws every other pixel in its
 * nearest palette colour, without dithering: flat areas stay flat (a median-cut quantizer with
 * dithering speckles a white background), and only edge pixels move, by a small step.
 */
internal object Palette {
  const val MAX_COLOURS = 256

  /** [image] (any type; alpha is ignored) as an 8-bit indexed image of its most frequent colours. */
  fun reduce(image: BufferedImage): BufferedImage {
    val w = image.width
    val h = image.height
    val rgb = image.getRGB(0, 0, w, h, null, 0, w)
    val counts = HashMap<Int, Int>()
    for (p in rgb) {
      val c = p and 0xFFFFFF
      counts[c] = (counts[c] ?: 0) + 1
    }
    val palette = counts.entries.sortedWith(compareByDescending<Map.Entry<Int, Int>> { it.value }.thenBy { it.key })
      .take(MAX_COLOURS).map { it.key }.toIntArray()
    val index = HashMap<Int, Int>(counts.size * 2)
    palette.forEachIndexed { i, c -> index[c] = i }
    for (c in counts.keys) if (c !in index) index[c] = nearest(c, palette)

    val model = IndexColorModel(
      8, palette.size,
      ByteArray(palette.size) { (palette[it] shr 16).toByte() },
      ByteArray(palette.size) { (palette[it] shr 8).toByte() },
      ByteArray(palette.size) { palette[it].toByte() },
    )
    val out = BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model)
    val raster = out.raster
    val row = IntArray(w)
    for (y in 0 until h) {
      for (x in 0 until w) row[x] = index.getValue(rgb[y * w + x] and 0xFFFFFF)
      raster.setPixels(0, y, w, 1, row)
    }
    return out
  }

  /** The palette entry closest to [c] in RGB (squared distance; the first on a tie). */
  private fun nearest(c: Int, palette: IntArray): Int {
    var best = 0
    var bestDistance = Int.MAX_VALUE
    for (i in palette.indices) {
      val dr = ((c shr 16) and 0xFF) - ((palette[i] shr 16) and 0xFF)
      val dg = ((c shr 8) and 0xFF) - ((palette[i] shr 8) and 0xFF)
      val db = (c and 0xFF) - (palette[i] and 0xFF)
      val d = dr * dr + dg * dg + db * db
      if (d < bestDistance) { bestDistance = d; best = i }
    }
    return best
  }
}
