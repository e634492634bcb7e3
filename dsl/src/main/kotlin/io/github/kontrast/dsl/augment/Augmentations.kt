package io.github.kontrast.dsl.augment

/** Ready-made augmentations. */
object Augmentations {
  /**
   * Document 004's ContrastiveAugmentation, the SimCLR recipe with BYOL's solarization, for RGB
   * images of [size] x [size]: RandomResizedCrop(size, scale 0.2..1, ratio 3/4..4/3), horizontal
   * flip p 0.5, ColorJitter(0.4, 0.4, 0.4, 0.1) p 0.8, grayscale p 0.2, GaussianBlur(kernel
   * [kernelSize], sigma 0.1..2) p 0.5, solarize at 128/255 p 0.2, ImageNet normalisation. Feed
   * evaluation images through the same [Normalize.imagenet] step.
   */
  @JvmStatic
  @JvmOverloads
  fun simclr(size: Int = 224, kernelSize: Int = 23): Augmentation = augmentation {
    randomResizedCrop(size, scale = 0.2..1.0)
    horizontalFlip(0.5)
    colorJitter(brightness = 0.4, contrast = 0.4, saturation = 0.4, hue = 0.1, p = 0.8)
    randomGrayscale(0.2)
    gaussianBlur(kernelSize, sigma = 0.1..2.0, p = 0.5)
    solarize(128f / 255f, p = 0.2)
    add(Normalize.imagenet())
  }

  /**
   * The same recipe sized for one-channel 28 x 28 digits (MNIST, Fashion-MNIST), pixels in [0, 1]:
   *
   * - crop scale 0.3..1 instead of 0.2..1: a fifth of a 28 x 28 image is a 12 x 12 box, often a
   *   single stroke that says little about the digit;
   * - no horizontal flip: a mirrored 2, 3, 4, 7 or 9 is not that digit (a mirrored 2 looks like a
   *   5), so invariance to mirroring would teach the encoder to confuse classes;
   * - colour jitter reduces to brightness and contrast (0.4 each, p 0.8), and grayscale is left
   *   out: a one-channel image has no saturation or hue;
   * - blur kernel 3 (a tenth of the image, SimCLR's rule; 23 for 224), sigma 0.1..2, p 0.5;
   * - no solarization (document 004 keeps it "for larger models") and no normalisation, so the
   *   images stay in [0, 1] like the un-augmented ones an evaluation embeds.
   */
  @JvmStatic
  @JvmOverloads
  fun digits(size: Int = 28): Augmentation = augmentation {
    randomResizedCrop(size, scale = 0.3..1.0)
    colorJitter(brightness = 0.4, contrast = 0.4, p = 0.8)
    gaussianBlur(3, sigma = 0.1..2.0, p = 0.5)
  }
}
