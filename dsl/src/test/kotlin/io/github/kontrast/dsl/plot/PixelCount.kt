package io.github.kontrast.dsl.plot

import java.awt.image.BufferedImage
import kotlin.math.abs

/** Pixels of [image] within [tolerance] of [rgb] on every channel: how the plot specs find a colour in a rendered PNG. */
internal fun countPixels(image: BufferedImage, rgb: Int, tolerance: Int): Int {
  var n = 0
  for (y in 0 until image.height) for (x in 0 until image.width) {
    val c = image.getRGB(x, y)
    if ((0..2).all { k -> abs(((c shr (8 * k)) and 0xFF) - ((rgb shr (8 * k)) and 0xFF)) <= tolerance }) n++
  }
  return n
}
