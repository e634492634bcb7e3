package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Spiral
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.jetbrains.letsPlot.intern.toSpec
import java.io.ByteArrayInputStream
import javax.imageio.ImageIO

/** Document 002's pictures: points, points in the hue of a value, a value over a grid. */
class PointPlotsSpec : FunSpec({
  test("Wolfram's Hue: red, yellow, green, cyan, blue, magenta at sixths, back to red at 1") {
    listOf(0.0, 1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 5.0 / 6, 1.0).map { hueRgb(it) } shouldBe
      listOf(0xff0000, 0xffff00, 0x00ff00, 0x00ffff, 0x0000ff, 0xff00ff, 0xff0000)
    hueRgb(1.0 / 12) shouldBe 0xff8000 // halfway from red to yellow (0.5 * 255 rounds to 128)
    HUE_COLOURS shouldBe listOf(0, 1, 2, 3, 4, 5, 6).map { String.format("#%06x", hueRgb(it / 6.0)) }
  }

  test("a point lands on the pixel of its coordinates, y upwards, in its colour") {
    // a square of side 1 with 3% margins, 100 pixels: unit = 1.06 / 100
    val raster = PointRaster(doubleArrayOf(0.0, 1.0, 0.0), doubleArrayOf(0.0, 1.0, 1.0), 100)
    raster.width shouldBe 100
    raster.height shouldBe 100
    val rgb = raster.draw(1) { i -> listOf(0xff0000, 0x00ff00, 0x0000ff)[i] }
    fun at(row: Int, col: Int) = (rgb[(row * 100 + col) * 3] shl 16) or (rgb[(row * 100 + col) * 3 + 1] shl 8) or rgb[(row * 100 + col) * 3 + 2]
    // (0, 0) -> column 0.03/0.0106 = 2, bottom row 99 - 2 = 97; (1, 1) -> column 97, row 2; (0, 1) -> column 2, row 2
    at(97, 2) shouldBe 0xff0000
    at(2, 97) shouldBe 0x00ff00
    at(2, 2) shouldBe 0x0000ff
    rgb.count { it != 255 } shouldBe 3 * 2 // three pixels, two zero channels each
    raster.extent[0] shouldBe (-0.03 plusOrMinus 1e-12)
    raster.extent[3] shouldBe (1.03 plusOrMinus 1e-9)
  }

  test("a few points are vector marks; thousands become one picture, a fraction of the size, with the colour bar kept") {
    val few = FloatHostArray(floatArrayOf(0f, 0f, 1f, 1f, -1f, 0.5f), intArrayOf(3, 2))
    val svgFew = Plots.toSvg(pointsPlot(few, floatArrayOf(0f, 1f, 2f), valueName = "embedding"))
    svgFew shouldContain "embedding"
    (Regex("<circle").findAll(svgFew).count() >= 3) shouldBe true
    val spiral = Spiral.generate(seed = 1)
    val values = FloatArray(spiral.size) { spiral.parameter[it].toFloat() }
    val raster = pointsPlot(spiral.points, values, valueName = "r")
    ("geom=image" in raster.toSpec().toString()) shouldBe true
    val svg = Plots.toSvg(raster)
    (Regex("<text[^>]*>\\s*(<[^>]+>)*r(<[^>]+>)*\\s*</text>").containsMatchIn(svg)) shouldBe true
    val vector = Plots.toSvg(pointsPlot(spiral.points, values, valueName = "r", vectorLimit = Int.MAX_VALUE))
    (svg.length * 5 < vector.length) shouldBe true
    val png = ImageIO.read(ByteArrayInputStream(Plots.toPng(raster)))
    (png.width > 400 && png.height > 400) shouldBe true
  }

  test("the field map draws one tile per grid point with the hue scale") {
    val grid = Spiral.grid(extent = 1.0, step = 0.5)
    grid.rows shouldBe 25
    val spec = fieldMap(grid, FloatArray(25) { it.toFloat() }).toSpec().toString()
    spec shouldContain "raster"
    spec shouldContain "#ff0000"
    Plots.toSvg(fieldMap(grid, FloatArray(25) { it.toFloat() })) shouldContain "embedding"
  }

  test("points by class: one colour per class, named in the legend") {
    val pts = FloatHostArray(floatArrayOf(0f, 0f, 1f, 1f, 2f, 2f), intArrayOf(3, 2))
    val svg = Plots.toSvg(pointsByClass(pts, intArrayOf(3, 7, 3)))
    val texts = Regex("<text[^>]*>(.*?)</text>", RegexOption.DOT_MATCHES_ALL).findAll(svg).map { it.groupValues[1].replace(Regex("<[^>]+>"), "").trim() }.toList()
    texts.contains("class") shouldBe true
    texts.contains("7") shouldBe true
    shouldThrow<IllegalArgumentException> { pointsByClass(pts, intArrayOf(1, 2)) }.message shouldBe "classes must have one entry per point (3), got 2"
  }

  test("bad input is refused, naming it") {
    val pts = FloatHostArray(FloatArray(6), intArrayOf(2, 3))
    shouldThrow<IllegalArgumentException> { pointsPlot(pts) }.message shouldBe "points must be [N, 2], got [2, 3]"
    val ok = FloatHostArray(FloatArray(4), intArrayOf(2, 2))
    shouldThrow<IllegalArgumentException> { pointsPlot(ok, floatArrayOf(1f)) }.message shouldBe "values must have one entry per point (2), got 1"
    shouldThrow<IllegalArgumentException> { fieldMap(ok, floatArrayOf(1f, 2f, 3f)) }.message shouldBe "values must have one entry per grid point (2), got 3"
  }
})

