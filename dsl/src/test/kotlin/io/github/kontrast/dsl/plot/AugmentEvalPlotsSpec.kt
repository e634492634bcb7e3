package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.augment.Augmentations
import io.github.kontrast.dsl.augment.HostImage
import io.github.kontrast.dsl.augment.augmentation
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Mnist
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import java.util.SplittableRandom
import javax.imageio.ImageIO

/** The augmentation gallery, RGB image grids and the PCA scatter render to SVG and PNG. */
class AugmentEvalPlotsSpec : FunSpec({
  val dir: Path = System.getenv("KONTRAST_PLOT_DIR")?.let { Files.createDirectories(Path.of(it)) }
    ?: Files.createTempDirectory("kontrast-plots-")
  afterSpec { if (System.getenv("KONTRAST_PLOT_DIR") == null) dir.toFile().deleteRecursively() }

  fun texts(svg: String): List<String> = Regex("<text[^>]*>(.*?)</text>", RegexOption.DOT_MATCHES_ALL).findAll(svg)
    .map { it.groupValues[1].replace(Regex("<[^>]+>"), "").trim() }.toList()
  fun decode(file: Path): BufferedImage = ImageIO.read(file.toFile()) ?: throw AssertionError("$file is not a readable PNG")
  fun count(image: BufferedImage, rgb: Int, tolerance: Int = 30) = countPixels(image, rgb, tolerance)

  test("the gallery shows a digit and twelve views, captioned, as one picture") {
    val digit = HostImage.of(Mnist.loadSubset().test.images, 0)
    val figure = augmentationGallery(digit, Augmentations.digits(), views = 12, seed = 1)
    val svg = Plots.toSvg(figure)
    texts(svg) shouldContainAll listOf("original") + (1..12).map { "view $it" }
    Regex("data:image/png;base64").findAll(svg).count() shouldBe 1
    Plots.saveSvg(figure, dir.resolve("gallery-digits.svg"))
    val png = decode(Plots.savePng(figure, dir.resolve("gallery-digits.png")))
    png.width shouldBe 7 * 120
    png.height shouldBe 2 * 136
    count(png, 0x000000, 20) shouldBeGreaterThan 5000 // black backgrounds of 13 digits
  }

  test("RGB images are drawn in colour, and a Normalize step is left out of the gallery") {
    // a red square on a blue ground: the SimCLR recipe without its normalisation keeps values in [0, 1]
    val image = HostImage(32, 32, 3, FloatArray(32 * 32 * 3) { i ->
      val p = i / 3; val inside = (p / 32) in 8..23 && (p % 32) in 8..23
      when (i % 3) { 0 -> if (inside) 1f else 0f; 2 -> if (inside) 0f else 1f; else -> 0f }
    })
    val figure = augmentationGallery(image, Augmentations.simclr(32, kernelSize = 3), views = 6, seed = 2, columns = 7)
    val png = decode(Plots.savePng(figure, dir.resolve("gallery-rgb.png")))
    Plots.saveSvg(figure, dir.resolve("gallery-rgb.svg"))
    count(png, 0xff0000, 40) shouldBeGreaterThan 200 // the original's red square
    count(png, 0x0000ff, 40) shouldBeGreaterThan 200 // its blue ground
    shouldThrow<IllegalArgumentException> { imageGrid(FloatHostArray(FloatArray(2 * 4 * 4 * 2), intArrayOf(2, 4, 4, 2))) }.message shouldContain
      "images must be [N, rows, cols], [N, rows, cols, 1] or [N, rows, cols, 3]"
  }

  test("the PCA scatter colours each class, names its legend and gives each axis its share of the variance") {
    // three classes along the first axis, with little spread across it: PC 1 holds most of the variance
    val r = SplittableRandom(3)
    val labels = IntArray(300) { it % 3 }
    val e = FloatHostArray(FloatArray(300 * 5) { i -> (if (i % 5 == 0) 4f * labels[i / 5] else 0f) + 0.3f * r.nextGaussian().toFloat() }, intArrayOf(300, 5))
    val figure = pcaScatter(e, labels, title = "test embeddings", classNames = mapOf(0 to "zero", 1 to "one", 2 to "two"), pointSize = 3.0)
    val svg = Plots.toSvg(figure)
    val t = texts(svg)
    t shouldContainAll listOf("test embeddings", "zero", "one", "two", "class")
    t.single { it.startsWith("PC 1") } shouldContain "% of the variance"
    val share = Regex("PC 1 \\(([0-9.]+)%").find(t.single { it.startsWith("PC 1") })!!.groupValues[1].toDouble()
    (share > 90.0) shouldBe true // 32/3 along the axis against 5 x 0.09 of noise
    val png = decode(Plots.savePng(figure, dir.resolve("pca.png")))
    Plots.saveSvg(figure, dir.resolve("pca.svg"))
    // tab10 blue, orange and green points, drawn at alpha 0.7 over white
    fun onWhite(rgb: Int) = (0..2).sumOf { k -> Math.round(0.7 * ((rgb shr (8 * k)) and 0xFF) + 0.3 * 255).toInt() shl (8 * k) }
    count(png, onWhite(0x1f77b4)) shouldBeGreaterThan 300
    count(png, onWhite(0xff7f0e)) shouldBeGreaterThan 300
    count(png, onWhite(0x2ca02c)) shouldBeGreaterThan 300
  }
})
