package io.github.kontrast.dsl.augment

import java.util.SplittableRandom
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.roundToInt
import kotlin.math.sqrt

/**
 * A random box of the image, resized to [height] x [width] (torchvision's RandomResizedCrop): the
 * box covers a fraction of the image's area drawn uniformly from [minScale, maxScale] and has a
 * width/height ratio drawn log-uniformly from [minRatio, maxRatio]; up to ten draws are tried, then
 * the whole image cut to the nearest allowed ratio is taken, as torchvision does. The box is
 * resampled bilinearly ([Resample]: antialiased when shrinking). With probability 1 - [p] the
 * whole image is resized instead.
 */
class RandomResizedCrop private constructor(
  /** Rows of the output image. */
  val height: Int,
  /** Columns of the output image. */
  val width: Int,
  /** Smallest fraction of the image's area the box covers. */
  val minScale: Double,
  /** Largest fraction of the image's area the box covers. */
  val maxScale: Double,
  /** Smallest width/height ratio of the box. */
  val minRatio: Double,
  /** Largest width/height ratio of the box. */
  val maxRatio: Double,
  /** Probability that a random box is cropped; otherwise the whole image is resized. */
  val p: Double,
) : ImageOp {
  init {
    require(height > 0 && width > 0) { "output size must be positive, got ${height}x$width" }
    require(minScale > 0.0 && minScale <= maxScale && maxScale <= 1.0) {
      "scale must be a range within (0, 1], got $minScale..$maxScale"
    }
    require(minRatio > 0.0 && minRatio <= maxRatio && maxRatio.isFinite()) {
      "ratio must be a range of positive numbers, got $minRatio..$maxRatio"
    }
    checkProbability(p)
  }

  /** The same crop with the area fraction drawn from [min, max]. */
  fun withScale(min: Double, max: Double) = RandomResizedCrop(height, width, min, max, minRatio, maxRatio, p)

  /** The same crop with the width/height ratio drawn (log-uniformly) from [min, max]. */
  fun withRatio(min: Double, max: Double) = RandomResizedCrop(height, width, minScale, maxScale, min, max, p)

  /** The same crop applied with probability [p] (else the whole image is resized). */
  fun withProbability(p: Double) = RandomResizedCrop(height, width, minScale, maxScale, minRatio, maxRatio, p)

  override fun outputShape(input: ImageShape): ImageShape = ImageShape(height, width, input.channels)

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    val box = if (random.happens(p)) box(image.height, image.width, random) else Box(0, 0, image.height, image.width)
    return crop(image, box)
  }

  /** [image]'s [box] resampled to this crop's output size. */
  fun crop(image: HostImage, box: Box): HostImage {
    require(box.top >= 0 && box.left >= 0 && box.height > 0 && box.width > 0 &&
      box.top + box.height <= image.height && box.left + box.width <= image.width) {
      "box must lie within the ${image.height}x${image.width} image, got $box"
    }
    return Resample.box(image, box.top, box.left, box.height, box.width, height, width)
  }

  /** The box torchvision's get_params would draw for an image of [imageHeight] x [imageWidth]. */
  fun box(imageHeight: Int, imageWidth: Int, random: SplittableRandom): Box {
    val area = imageHeight.toDouble() * imageWidth
    val logMin = ln(minRatio)
    val logMax = ln(maxRatio)
    repeat(ATTEMPTS) {
      val target = area * random.uniform(minScale, maxScale)
      val ratio = exp(random.uniform(logMin, logMax))
      val w = sqrt(target * ratio).roundToInt()
      val h = sqrt(target / ratio).roundToInt()
      if (w in 1..imageWidth && h in 1..imageHeight) {
        val top = random.nextInt(imageHeight - h + 1)
        val left = random.nextInt(imageWidth - w + 1)
        return Box(top, left, h, w)
      }
    }
    // fallback: the centre crop of the largest box with a ratio in range
    val inRatio = imageWidth.toDouble() / imageHeight
    val (h, w) = when {
      inRatio < minRatio -> (imageWidth / minRatio).roundToInt() to imageWidth
      inRatio > maxRatio -> imageHeight to (imageHeight * maxRatio).roundToInt()
      else -> imageHeight to imageWidth
    }
    return Box((imageHeight - h) / 2, (imageWidth - w) / 2, h, w)
  }

  override fun toString(): String = "RandomResizedCrop(${height}x$width, scale=$minScale..$maxScale, ratio=$minRatio..$maxRatio, p=$p)"

  /**
   * A box of an image: top row, left column, height and width in pixels.
   *
   * @property top the box's first row.
   * @property left the box's first column.
   * @property height rows in the box.
   * @property width columns in the box.
   */
  data class Box(val top: Int, val left: Int, val height: Int, val width: Int)

  companion object {
    private const val ATTEMPTS = 10

    /** A [size] x [size] crop with torchvision's defaults: scale 0.08..1, ratio 3/4..4/3. */
    @JvmStatic
    fun of(size: Int): RandomResizedCrop = of(size, size)

    /** A [height] x [width] crop with torchvision's defaults: scale 0.08..1, ratio 3/4..4/3. */
    @JvmStatic
    fun of(height: Int, width: Int): RandomResizedCrop = RandomResizedCrop(height, width, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, 1.0)
  }
}
