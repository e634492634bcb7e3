package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * One image on the JVM heap, [height] x [width] x [channels], row-major with the channels last
 * (the layout of a [FloatHostArray] of images [N, H, W, C], and of TensorFlow's NHWC). Values are
 * in [0, 1] until a [Normalize] step. The operations of an [Augmentation] read one and return one
 * (a new image, or this one changed in place).
 *
 * @property height rows of pixels.
 * @property width columns of pixels.
 * @property channels values per pixel (1 grey, 3 RGB).
 * @property data the values, row-major with the channels last: height * width * channels floats.
 */
class HostImage(val height: Int, val width: Int, val channels: Int, val data: FloatArray) {
  init {
    require(height > 0 && width > 0 && channels > 0) { "image dimensions must be positive, got ${height}x${width}x$channels" }
    require(data.size == height * width * channels) {
      "data holds ${data.size} floats but a ${height}x${width}x$channels image needs ${height * width * channels}"
    }
  }

  /** The shape of this image. */
  val shape: ImageShape get() = ImageShape(height, width, channels)

  /** The value at row [y], column [x], channel [c]. */
  operator fun get(y: Int, x: Int, c: Int = 0): Float = data[(y * width + x) * channels + c]

  /** A copy that shares nothing with this image. */
  fun copy(): HostImage = HostImage(height, width, channels, data.copyOf())

  /** This image as a one-image array [1, H, W, C]. */
  fun toHostArray(): FloatHostArray = FloatHostArray(data.copyOf(), intArrayOf(1, height, width, channels))

  override fun toString(): String = "HostImage(${height}x${width}x$channels)"

  companion object {
    /** Image [index] of [images], [N, H, W, C] or [N, H, W] (one channel), copied. */
    @JvmStatic
    fun of(images: FloatHostArray, index: Int): HostImage {
      val shape = ImageShape.ofBatch(images)
      require(index in 0 until images.rows) { "index must be in 0 until ${images.rows}, got $index" }
      val n = shape.size
      return HostImage(shape.height, shape.width, shape.channels, images.data.copyOfRange(index * n, (index + 1) * n))
    }
  }
}

/**
 * Height, width and channels of an image.
 *
 * @property height rows of pixels.
 * @property width columns of pixels.
 * @property channels values per pixel: 1 (grey) or 3 (RGB) for the colour operations.
 */
data class ImageShape(val height: Int, val width: Int, val channels: Int) {
  init {
    require(height > 0 && width > 0 && channels > 0) { "image dimensions must be positive, got ${height}x${width}x$channels" }
  }

  /** Floats in one image. */
  val size: Int get() = height * width * channels

  /** [height, width, channels], the per-example shape of a batch of these images. */
  fun toIntArray(): IntArray = intArrayOf(height, width, channels)

  override fun toString(): String = "${height}x${width}x$channels"

  companion object {
    /** The shape of one image of [images], [N, H, W, C] or [N, H, W] (one channel). */
    @JvmStatic
    fun ofBatch(images: FloatHostArray): ImageShape {
      val s = images.shape
      require(s.size == 3 || s.size == 4) { "images must be [N, height, width] or [N, height, width, channels], got ${s.contentToString()}" }
      return ImageShape(s[1], s[2], if (s.size == 4) s[3] else 1)
    }
  }
}
