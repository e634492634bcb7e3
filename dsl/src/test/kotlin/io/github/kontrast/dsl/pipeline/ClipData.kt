package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.FloatHostArray
import java.util.SplittableRandom

/**
 * Small image-caption pairs for CLIP tests: 8x8 RGB images holding a 4x4 patch of one of four
 * colours in one of four places, a little noise on top, captioned "a red patch on the left" and
 * the like (16 distinct captions; the class is the colour).
 */
object ClipData {
  val colours = listOf("red" to floatArrayOf(1f, 0f, 0f), "green" to floatArrayOf(0f, 1f, 0f), "blue" to floatArrayOf(0f, 0f, 1f), "yellow" to floatArrayOf(1f, 1f, 0f))
  val places = listOf("top left" to (0 to 0), "top right" to (0 to 4), "bottom left" to (4 to 0), "bottom right" to (4 to 4))

  fun pairs(n: Int, seed: Long): CaptionedImages {
    val r = SplittableRandom(seed)
    val data = FloatArray(n * 8 * 8 * 3)
    val captions = ArrayList<List<String>>()
    val labels = IntArray(n)
    for (i in 0 until n) {
      val c = i % 4
      val p = (i / 4) % 4
      val (y0, x0) = places[p].second
      for (y in 0 until 8) for (x in 0 until 8) for (ch in 0 until 3) {
        val inside = y in y0 until y0 + 4 && x in x0 until x0 + 4
        data[((i * 8 + y) * 8 + x) * 3 + ch] = (if (inside) colours[c].second[ch] else 0.5f) + (r.nextDouble() * 0.1 - 0.05).toFloat()
      }
      val colour = colours[c].first
      val place = places[p].first
      captions += listOf("a $colour patch at the $place", "$colour in the $place", "the $place is $colour")
      labels[i] = c
    }
    return CaptionedImages(FloatHostArray(data, intArrayOf(n, 8, 8, 3)), captions, labels, colours.map { it.first })
  }
}
