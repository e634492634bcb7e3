package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * With probability [p], every value at or above [threshold] becomes 1 - value (torchvision's
 * RandomSolarize on images in [0, 1]). The threshold is in the same units as the pixels:
 * torchvision's 128 on bytes is 128/255 here.
 *
 * @property threshold values at or above it are inverted (1 - value); in the pixels' units.
 * @property p probability that an image is solarized.
 */
class Solarize private constructor(val threshold: Float, val p: Double) : ImageOp {
  init {
    require(threshold.isFinite()) { "threshold must be a finite number, got $threshold" }
    checkProbability(p)
  }

  override fun outputShape(input: ImageShape): ImageShape = input

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    if (!random.happens(p)) return image
    val d = image.data
    for (i in d.indices) if (d[i] >= threshold) d[i] = 1f - d[i]
    return image
  }

  override fun toString(): String = "Solarize(threshold=$threshold, p=$p)"

  companion object {
    /** Solarizes at and above [threshold] with probability [p] (torchvision's default 0.5; document 004's recipe 0.2). */
    @JvmStatic
    @JvmOverloads
    fun of(threshold: Float, p: Double = 0.5): Solarize = Solarize(threshold, p)
  }
}
