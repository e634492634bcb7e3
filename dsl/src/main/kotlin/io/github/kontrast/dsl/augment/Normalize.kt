package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * (value - mean) / std per channel (torchvision's Normalize), always applied: the last step of a
 * recipe, after which values are no longer in [0, 1]. [mean] and [std] have one entry per channel.
 */
class Normalize private constructor(private val means: FloatArray, private val stds: FloatArray) : ImageOp {
  init {
    require(means.isNotEmpty()) { "mean must have one value per channel, got none" }
    require(means.size == stds.size) { "mean and std must have the same length, got ${means.size} and ${stds.size}" }
    require(means.all { it.isFinite() }) { "mean must be finite, got ${means.contentToString()}" }
    require(stds.all { it > 0f && it.isFinite() }) { "std must be positive and finite, got ${stds.contentToString()}" }
  }

  /** The means, one per channel. */
  val mean: FloatArray get() = means.copyOf()

  /** The standard deviations, one per channel. */
  val std: FloatArray get() = stds.copyOf()

  override fun outputShape(input: ImageShape): ImageShape {
    require(input.channels == means.size) {
      "Normalize has ${means.size} means and stds but the image has ${input.channels} channel(s)"
    }
    return input
  }

  override fun apply(image: HostImage, random: SplittableRandom): HostImage {
    val c = image.channels
    require(c == means.size) { "Normalize has ${means.size} means and stds but the image has $c channel(s)" }
    val d = image.data
    val inverse = FloatArray(c) { 1f / stds[it] }
    for (i in d.indices) {
      val ch = i % c
      d[i] = (d[i] - means[ch]) * inverse[ch]
    }
    return image
  }

  override fun toString(): String = "Normalize(mean=${means.contentToString()}, std=${stds.contentToString()})"

  companion object {
    /** (value - [mean]) / [std], one entry per channel. */
    @JvmStatic
    fun of(mean: FloatArray, std: FloatArray): Normalize = Normalize(mean.copyOf(), std.copyOf())

    /** ImageNet's channel statistics, which document 004's recipe uses: RGB images only. */
    @JvmStatic
    fun imagenet(): Normalize = of(floatArrayOf(0.485f, 0.456f, 0.406f), floatArrayOf(0.229f, 0.224f, 0.225f))
  }
}
