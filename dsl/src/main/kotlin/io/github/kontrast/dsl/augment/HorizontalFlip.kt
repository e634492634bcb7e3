package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * Mirrors the image left to right with probability [p] (torchvision's RandomHorizontalFlip).
 *
 * @property p probability that an image is mirrored.
 */
class HorizontalFlip private constructor(val p: Double) : ImageOp {
  init {
    checkProbability(p)
  }

  override fun outputShape(input: ImageShape): ImageShape = input

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    if (!random.happens(p)) return image
    val c = image.channels
    val d = image.data
    for (y in 0 until image.height) {
      val row = y * image.width * c
      var a = 0
      var b = image.width - 1
      while (a < b) {
        for (ch in 0 until c) {
          val i = row + a * c + ch
          val j = row + b * c + ch
          val t = d[i]; d[i] = d[j]; d[j] = t
        }
        a++; b--
      }
    }
    return image
  }

  override fun toString(): String = "HorizontalFlip(p=$p)"

  companion object {
    /** A flip applied with probability [p] (torchvision's default 0.5). */
    @JvmStatic
    @JvmOverloads
    fun of(p: Double = 0.5): HorizontalFlip = HorizontalFlip(p)
  }
}
