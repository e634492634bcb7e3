package io.github.kontrast.dsl.plot

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.awt.image.BufferedImage
import java.awt.image.IndexColorModel

class PaletteSpec : FunSpec({
  fun image(pixels: List<Int>): BufferedImage {
    val img = BufferedImage(pixels.size, 1, BufferedImage.TYPE_INT_RGB)
    pixels.forEachIndexed { x, c -> img.setRGB(x, 0, c) }
    return img
  }
  fun rgb(img: BufferedImage): List<Int> = (0 until img.width).map { img.getRGB(it, 0) and 0xFFFFFF }

  test("a picture of at most 256 colours is kept exactly") {
    val pixels = listOf(0xffffff, 0x1f77b4, 0xff7f0e, 0xffffff, 0x000000)
    val reduced = Palette.reduce(image(pixels))
    reduced.type shouldBe BufferedImage.TYPE_BYTE_INDEXED
    (reduced.colorModel as IndexColorModel).mapSize shouldBe 4
    rgb(reduced) shouldBe pixels
  }

  test("the 256 most frequent colours stay exact; a rarer one becomes its nearest, undithered") {
    // white 100 times and 255 reds (i, 0, 0) twice each fill the palette; three colours occur once
    val reds = (0..254).flatMap { i -> listOf(i shl 16, i shl 16) }
    val rare = listOf(0x000a00, 0xfafafa, 0x800300)
    val pixels = List(100) { 0xffffff } + reds + rare
    val reduced = Palette.reduce(image(pixels))
    (reduced.colorModel as IndexColorModel).mapSize shouldBe 256
    val out = rgb(reduced)
    out.subList(0, 100 + reds.size) shouldBe pixels.subList(0, 100 + reds.size)
    // (0, 10, 0) is 10 from black and further from every other red; (250, 250, 250) is nearest to
    // white (75 squared) and (128, 3, 0) to (128, 0, 0) (9 squared)
    out.takeLast(3) shouldBe listOf(0x000000, 0xffffff, 0x800000)
  }
})
