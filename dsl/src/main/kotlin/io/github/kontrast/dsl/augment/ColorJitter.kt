package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * With probability [p], random changes of brightness, contrast, saturation and hue, in a random
 * order (torchvision's ColorJitter inside RandomApply). Each factor is drawn uniformly: brightness
 * and contrast from [max(0, 1 - x), 1 + x], saturation too, the hue shift from [-hue, hue] turns.
 * On images in [0, 1], clamped back to [0, 1] after each change:
 *
 * - brightness b: value * b
 * - contrast c: c * value + (1 - c) * m, m the mean luma of the whole image
 * - saturation s: s * value + (1 - s) * luma of that pixel
 * - hue h: the pixel's hue rotated by h through HSV
 *
 * On a one-channel image saturation and hue do nothing (a grey image has no colour), so only
 * brightness and contrast act; their factors are still drawn, so the random stream is the same.
 */
class ColorJitter private constructor(
  /** Brightness strength x: the factor is drawn from [max(0, 1 - x), 1 + x]; 0 leaves brightness alone. */
  val brightness: Double,
  /** Contrast strength x: the factor is drawn from [max(0, 1 - x), 1 + x]; 0 leaves contrast alone. */
  val contrast: Double,
  /** Saturation strength x: the factor is drawn from [max(0, 1 - x), 1 + x]; 0 leaves saturation alone. */
  val saturation: Double,
  /** Largest hue shift, in turns: the shift is drawn from [-hue, hue]; 0 leaves hue alone. */
  val hue: Double,
  /** Probability that the jitter is applied to an image at all. */
  val p: Double,
) : ImageOp {
  init {
    require(brightness >= 0.0 && brightness.isFinite()) { "brightness must be >= 0, got $brightness" }
    require(contrast >= 0.0 && contrast.isFinite()) { "contrast must be >= 0, got $contrast" }
    require(saturation >= 0.0 && saturation.isFinite()) { "saturation must be >= 0, got $saturation" }
    require(hue in 0.0..0.5) { "hue must be in [0, 0.5], got $hue" }
    checkProbability(p)
  }

  /** The same jitter applied with probability [p]. */
  fun withProbability(p: Double) = ColorJitter(brightness, contrast, saturation, hue, p)

  override fun outputShape(input: ImageShape): ImageShape {
    require(input.channels == 1 || input.channels == 3) { "ColorJitter needs 1 or 3 channels, got ${input.channels}" }
    return input
  }

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    if (!random.happens(p)) return image
    val order = intArrayOf(0, 1, 2, 3)
    for (i in 3 downTo 1) {
      val j = random.nextInt(i + 1)
      val t = order[i]; order[i] = order[j]; order[j] = t
    }
    val b = factor(brightness, random)
    val c = factor(contrast, random)
    val s = factor(saturation, random)
    val h = random.uniform(-hue, hue).toFloat()
    for (step in order) {
      when (step) {
        BRIGHTNESS -> if (brightness > 0.0) brighten(image, b)
        CONTRAST -> if (contrast > 0.0) contrast(image, c)
        SATURATION -> if (saturation > 0.0 && image.channels == 3) saturate(image, s)
        else -> if (hue > 0.0 && image.channels == 3) Colour.shiftHue(image.data, h)
      }
    }
    return image
  }

  override fun toString(): String = "ColorJitter(brightness=$brightness, contrast=$contrast, saturation=$saturation, hue=$hue, p=$p)"

  companion object {
    private const val BRIGHTNESS = 0
    private const val CONTRAST = 1
    private const val SATURATION = 2

    private fun factor(x: Double, random: SplittableRandom): Float = random.uniform(maxOf(0.0, 1.0 - x), 1.0 + x).toFloat()

    /** value * [factor], clamped to [0, 1]. */
    @JvmStatic
    fun brighten(image: HostImage, factor: Float) {
      val d = image.data
      for (i in d.indices) d[i] = Colour.blend(d[i], 0f, factor)
    }

    /** [factor] * value + (1 - [factor]) * (mean luma of the image), clamped to [0, 1]. */
    @JvmStatic
    fun contrast(image: HostImage, factor: Float) {
      val d = image.data
      var sum = 0.0
      if (image.channels == 1) {
        for (v in d) sum += v
      } else {
        var i = 0
        while (i < d.size) { sum += Colour.luma(d, i); i += 3 }
      }
      val mean = (sum / (image.height * image.width)).toFloat()
      for (i in d.indices) d[i] = Colour.blend(d[i], mean, factor)
    }

    /** [factor] * value + (1 - [factor]) * (the pixel's luma), clamped to [0, 1]; RGB only. */
    @JvmStatic
    fun saturate(image: HostImage, factor: Float) {
      require(image.channels == 3) { "saturation needs an RGB image, got ${image.channels} channel(s)" }
      val d = image.data
      var i = 0
      while (i < d.size) {
        val y = Colour.luma(d, i)
        d[i] = Colour.blend(d[i], y, factor)
        d[i + 1] = Colour.blend(d[i + 1], y, factor)
        d[i + 2] = Colour.blend(d[i + 2], y, factor)
        i += 3
      }
    }

    /** A jitter with these maximal changes, applied with probability [p] (torchvision applies it always; SimCLR's recipe 0.8). */
    @JvmStatic
    @JvmOverloads
    fun of(brightness: Double, contrast: Double, saturation: Double = 0.0, hue: Double = 0.0, p: Double = 1.0): ColorJitter =
      ColorJitter(brightness, contrast, saturation, hue, p)
  }
}
