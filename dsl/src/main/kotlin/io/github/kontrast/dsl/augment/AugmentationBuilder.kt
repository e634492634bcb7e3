package io.github.kontrast.dsl.augment

/**
 * Collects the steps of an [Augmentation] in order. Kotlin: `augmentation { randomResizedCrop(28,
 * scale = 0.3..1.0); colorJitter(0.4, 0.4, p = 0.8) }`. Java: `Augmentation.builder()
 * .add(RandomResizedCrop.of(28).withScale(0.3, 1.0)).colorJitter(0.4, 0.4, 0, 0, 0.8).build()`
 * (ranges are written with the steps' `withX` methods there). Defaults are torchvision's.
 */
class AugmentationBuilder {
  private val ops = mutableListOf<ImageOp>()

  /** Adds any step, including one of your own. */
  fun add(op: ImageOp): AugmentationBuilder = apply { ops += op }

  /** Adds every step of [augmentation]. */
  fun add(augmentation: Augmentation): AugmentationBuilder = apply { ops += augmentation.ops }

  /** [RandomResizedCrop] to [size] x [size]. */
  @JvmOverloads
  fun randomResizedCrop(
    size: Int,
    scale: ClosedFloatingPointRange<Double> = 0.08..1.0,
    ratio: ClosedFloatingPointRange<Double> = 3.0 / 4.0..4.0 / 3.0,
    p: Double = 1.0,
  ): AugmentationBuilder = randomResizedCrop(size, size, scale, ratio, p)

  /** [RandomResizedCrop] to [height] x [width]. */
  @JvmOverloads
  fun randomResizedCrop(
    height: Int,
    width: Int,
    scale: ClosedFloatingPointRange<Double> = 0.08..1.0,
    ratio: ClosedFloatingPointRange<Double> = 3.0 / 4.0..4.0 / 3.0,
    p: Double = 1.0,
  ): AugmentationBuilder = add(
    RandomResizedCrop.of(height, width).withScale(scale.start, scale.endInclusive)
      .withRatio(ratio.start, ratio.endInclusive).withProbability(p),
  )

  /** [HorizontalFlip] with probability [p]. */
  @JvmOverloads
  fun horizontalFlip(p: Double = 0.5): AugmentationBuilder = add(HorizontalFlip.of(p))

  /** [ColorJitter]: the maximal changes, applied together with probability [p]. */
  @JvmOverloads
  fun colorJitter(brightness: Double = 0.0, contrast: Double = 0.0, saturation: Double = 0.0, hue: Double = 0.0, p: Double = 1.0): AugmentationBuilder =
    add(ColorJitter.of(brightness, contrast, saturation, hue, p))

  /** [RandomGrayscale] with probability [p]. */
  @JvmOverloads
  fun randomGrayscale(p: Double = 0.1): AugmentationBuilder = add(RandomGrayscale.of(p))

  /** [GaussianBlur] with a [kernelSize] kernel and sigma drawn from [sigma], applied with probability [p]. */
  @JvmOverloads
  fun gaussianBlur(kernelSize: Int, sigma: ClosedFloatingPointRange<Double> = 0.1..2.0, p: Double = 1.0): AugmentationBuilder =
    add(GaussianBlur.of(kernelSize, sigma.start, sigma.endInclusive, p))

  /** [Solarize] at and above [threshold] (pixel units, 0..1) with probability [p]. */
  @JvmOverloads
  fun solarize(threshold: Float, p: Double = 0.5): AugmentationBuilder = add(Solarize.of(threshold, p))

  /** [Normalize] with one mean and std per channel. */
  fun normalize(mean: FloatArray, std: FloatArray): AugmentationBuilder = add(Normalize.of(mean, std))

  /** [Normalize] of a one-channel image. */
  fun normalize(mean: Float, std: Float): AugmentationBuilder = add(Normalize.of(floatArrayOf(mean), floatArrayOf(std)))

  /** The augmentation made of the steps added so far. */
  fun build(): Augmentation = Augmentation(ops)
}

/** An [Augmentation] built in a block: `augmentation { randomResizedCrop(28, scale = 0.3..1.0); gaussianBlur(3, p = 0.5) }`. */
fun augmentation(block: AugmentationBuilder.() -> Unit): Augmentation = AugmentationBuilder().apply(block).build()
