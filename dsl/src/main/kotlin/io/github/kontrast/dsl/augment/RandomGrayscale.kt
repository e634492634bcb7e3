package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * With probability [p], an RGB image becomes grey, keeping its three channels (torchvision's
 * RandomGrayscale): every channel gets the luma 0.299 R + 0.587 G + 0.114 B (ITU-R 601-2, as PIL
 * and torchvision weigh them). A one-channel image is grey already and stays as it is.
 *
 * @property p probability that an RGB image becomes grey.
 */
class RandomGrayscale private constructor(val p: Double) : ImageOp {
  init {
    checkProbability(p)
  }

  override fun outputShape(input: ImageShape): ImageShape {
    require(input.channels == 1 || input.channels == 3) { "RandomGrayscale needs 1 or 3 channels, got ${input.channels}" }
    return input
  }

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    if (!random.happens(p) || image.channels == 1) return image
    Colour.toGrey(image.data)
    return image
  }

  override fun toString(): String = "RandomGrayscale(p=$p)"

  companion object {
    /** Grey with probability [p] (torchvision's default 0.1; SimCLR's recipe uses 0.2). */
    @JvmStatic
    @JvmOverloads
    fun of(p: Double = 0.1): RandomGrayscale = RandomGrayscale(p)
  }
}
