package io.github.kontrast.dsl.augment

import java.util.SplittableRandom
import kotlin.math.exp

/**
 * With probability [p], a Gaussian blur with sigma drawn uniformly from [minSigma, maxSigma] and a
 * [kernelSize] x [kernelSize] kernel (torchvision's GaussianBlur inside RandomApply). The kernel
 * is separable: weights exp(-x^2 / (2 sigma^2)) at x = -(k-1)/2 .. (k-1)/2, divided by their sum.
 * Borders are reflected without repeating the edge pixel (torchvision's "reflect" padding).
 * SimCLR sizes the kernel at about a tenth of the image: 23 for 224 pixels, 3 for 28.
 */
class GaussianBlur private constructor(
  /** Side of the square kernel in pixels, a positive odd number. */
  val kernelSize: Int,
  /** Smallest sigma of the blur, in pixels. */
  val minSigma: Double,
  /** Largest sigma of the blur, in pixels. */
  val maxSigma: Double,
  /** Probability that an image is blurred. */
  val p: Double,
) : ImageOp {
  init {
    require(kernelSize > 0 && kernelSize % 2 == 1) { "kernelSize must be a positive odd number, got $kernelSize" }
    require(minSigma > 0.0 && minSigma <= maxSigma && maxSigma.isFinite()) { "sigma must be a range of positive numbers, got $minSigma..$maxSigma" }
    checkProbability(p)
  }

  /** The same blur applied with probability [p]. */
  fun withProbability(p: Double) = GaussianBlur(kernelSize, minSigma, maxSigma, p)

  /** The same blur with sigma drawn from [min, max]. */
  fun withSigma(min: Double, max: Double) = GaussianBlur(kernelSize, min, max, p)

  override fun outputShape(input: ImageShape): ImageShape = input

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    if (!random.happens(p)) return image
    return blur(image, kernel(kernelSize, random.uniform(minSigma, maxSigma)))
  }

  override fun toString(): String = "GaussianBlur(kernelSize=$kernelSize, sigma=$minSigma..$maxSigma, p=$p)"

  companion object {
    /** A [kernelSize] blur with sigma in [minSigma, maxSigma] (torchvision's default 0.1..2), applied with probability [p]. */
    @JvmStatic
    @JvmOverloads
    fun of(kernelSize: Int, minSigma: Double = 0.1, maxSigma: Double = 2.0, p: Double = 1.0): GaussianBlur =
      GaussianBlur(kernelSize, minSigma, maxSigma, p)

    /** The normalised 1-D kernel of [size] taps for [sigma]. */
    @JvmStatic
    fun kernel(size: Int, sigma: Double): FloatArray {
      require(size > 0 && size % 2 == 1) { "size must be a positive odd number, got $size" }
      require(sigma > 0.0 && sigma.isFinite()) { "sigma must be positive, got $sigma" }
      val half = (size - 1) / 2.0
      val w = DoubleArray(size) { val x = (it - half) / sigma; exp(-0.5 * x * x) }
      val sum = w.sum()
      return FloatArray(size) { (w[it] / sum).toFloat() }
    }

    /** [image] convolved with the separable [kernel] along rows and columns, borders reflected. */
    @JvmStatic
    fun blur(image: HostImage, kernel: FloatArray): HostImage {
      val h = image.height
      val w = image.width
      val c = image.channels
      val half = kernel.size / 2
      val src = image.data
      val rows = FloatArray(src.size)
      // along each row; the reflected column of each tap is computed once per column
      val colIndex = IntArray(kernel.size)
      for (x in 0 until w) {
        for (k in kernel.indices) colIndex[k] = reflect(x + k - half, w) * c
        for (y in 0 until h) {
          val row = y * w * c
          for (ch in 0 until c) {
            var s = 0f
            for (k in kernel.indices) s += kernel[k] * src[row + colIndex[k] + ch]
            rows[row + x * c + ch] = s
          }
        }
      }
      // along each column: whole rows weighted and added
      val out = FloatArray(src.size)
      val rowLength = w * c
      for (y in 0 until h) {
        val at = y * rowLength
        for (k in kernel.indices) {
          val from = reflect(y + k - half, h) * rowLength
          val kk = kernel[k]
          for (i in 0 until rowLength) out[at + i] += kk * rows[from + i]
        }
      }
      return HostImage(h, w, c, out)
    }

    /** Index [i] reflected into 0 until [n] about the edge pixels (-1 -> 1, n -> n - 2). */
    internal fun reflect(i: Int, n: Int): Int {
      if (n == 1) return 0
      val period = 2 * (n - 1)
      val m = ((i % period) + period) % period
      return if (m < n) m else period - m
    }
  }
}
