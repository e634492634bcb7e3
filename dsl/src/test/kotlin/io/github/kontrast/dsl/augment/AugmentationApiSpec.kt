package io.github.kontrast.dsl.augment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

/** The DSL, `+`, the Java builder and the presets describe the same steps. */
class AugmentationApiSpec : FunSpec({
  test("the DSL, + and the Java builder build the same augmentation") {
    val dsl = augmentation {
      randomResizedCrop(28, scale = 0.2..1.0)
      horizontalFlip(0.5)
      gaussianBlur(3, sigma = 0.1..2.0, p = 0.5)
    }
    val plus = RandomResizedCrop.of(28).withScale(0.2, 1.0) + HorizontalFlip.of(0.5) + GaussianBlur.of(3, 0.1, 2.0, 0.5)
    val java = JavaAugmentationUsage.build()
    dsl.toString() shouldBe plus.toString()
    java.toString() shouldBe dsl.toString()
    // the same steps give the same views
    val image = HostImage(28, 28, 1, FloatArray(784) { (it % 28) / 28f })
    java.sample(image, 4, seed = 3).data.toList() shouldBe dsl.sample(image, 4, seed = 3).data.toList()
  }

  test("the SimCLR preset is document 004's ContrastiveAugmentation") {
    val ops = Augmentations.simclr().ops
    ops.map { it.javaClass.simpleName } shouldBe listOf(
      "RandomResizedCrop", "HorizontalFlip", "ColorJitter", "RandomGrayscale", "GaussianBlur", "Solarize", "Normalize",
    )
    val crop = ops[0].shouldBeInstanceOf<RandomResizedCrop>()
    listOf(crop.height, crop.width) shouldBe listOf(224, 224)
    listOf(crop.minScale, crop.maxScale, crop.minRatio, crop.maxRatio) shouldBe listOf(0.2, 1.0, 0.75, 4.0 / 3.0)
    ops[1].shouldBeInstanceOf<HorizontalFlip>().p shouldBe 0.5
    val jitter = ops[2].shouldBeInstanceOf<ColorJitter>()
    listOf(jitter.brightness, jitter.contrast, jitter.saturation, jitter.hue, jitter.p) shouldBe listOf(0.4, 0.4, 0.4, 0.1, 0.8)
    ops[3].shouldBeInstanceOf<RandomGrayscale>().p shouldBe 0.2
    val blur = ops[4].shouldBeInstanceOf<GaussianBlur>()
    listOf(blur.kernelSize.toDouble(), blur.minSigma, blur.maxSigma, blur.p) shouldBe listOf(23.0, 0.1, 2.0, 0.5)
    val solarize = ops[5].shouldBeInstanceOf<Solarize>()
    solarize.threshold shouldBe 128f / 255f
    solarize.p shouldBe 0.2
    val norm = ops[6].shouldBeInstanceOf<Normalize>()
    norm.mean.toList() shouldBe listOf(0.485f, 0.456f, 0.406f)
    norm.std.toList() shouldBe listOf(0.229f, 0.224f, 0.225f)
  }

  test("the digits preset: crop 0.3..1, brightness and contrast, blur 3, no flip, stays in [0, 1]") {
    val ops = Augmentations.digits().ops
    ops.map { it.javaClass.simpleName } shouldBe listOf("RandomResizedCrop", "ColorJitter", "GaussianBlur")
    ops[0].shouldBeInstanceOf<RandomResizedCrop>().minScale shouldBe 0.3
    ops[2].shouldBeInstanceOf<GaussianBlur>().kernelSize shouldBe 3
    val image = HostImage(28, 28, 1, FloatArray(784) { if ((it / 28) in 8..20 && (it % 28) in 10..14) 1f else 0f })
    val views = Augmentations.digits().sample(image, 50, seed = 1)
    views.shape.toList() shouldBe listOf(50, 28, 28, 1)
    views.data.all { it in 0f..1f } shouldBe true
  }
})
