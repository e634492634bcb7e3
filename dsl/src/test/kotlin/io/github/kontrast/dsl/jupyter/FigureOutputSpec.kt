package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.plot.pairsGrid
import io.github.kontrast.dsl.plot.plot
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.Figure
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.util.Base64
import javax.imageio.ImageIO

/**
 * A figure's cell output as the kernel sends it to Jupyter (the JSON of its display result): the
 * PNG that an untrusted notebook shows, the SVG once, no HTML copy, and the PNG's logical size.
 */
class FigureOutputSpec : FunSpec({
  val linePlot = letsPlot(mapOf("x" to listOf(0, 1, 2, 3), "y" to listOf(0, 1, 4, 9))) { x = "x"; y = "y" } +
    geomLine(color = "#1f77b4", size = 1.2) + ggsize(640, 360)
  val history = History().apply {
    addEpoch(1, mapOf("loss" to 0.095, "val_loss" to 0.064))
    addEpoch(2, mapOf("loss" to 0.070, "val_loss" to 0.054))
  }
  val pairs = Mnist.loadSubset().test.take(200).pairs(seed = 1).head(6)

  /** The output's JSON, as the kernel puts it in a display_data message. */
  fun json(figure: Figure): JsonObject = FigureRendering.output(figure).toJson(JsonObject(emptyMap()), null)

  /** Checks the bundle of a figure drawn at [width] x [height] and returns its decoded PNG. */
  fun checkBundle(json: JsonObject, width: Int, height: Int, maxBytes: Int): BufferedImage {
    val data = json.getValue("data").jsonObject
    data.keys shouldBe setOf("image/png", "image/svg+xml", "text/plain")
    val svg = data.getValue("image/svg+xml").jsonPrimitive.content
    svg shouldContain "<svg"
    svg shouldContain "width=\"$width"
    // the SVG is stored once: no other entry carries a copy of it (the old text/html did)
    for ((mime, value) in data) if (mime != "image/svg+xml") value.jsonPrimitive.content shouldNotContain "<svg"

    val png = Base64.getDecoder().decode(data.getValue("image/png").jsonPrimitive.content)
    // the PNG signature, byte for byte: \x89 P N G \r \n \x1a \n
    png.copyOf(8).map { it.toInt() and 0xFF } shouldBe listOf(137, 80, 78, 71, 13, 10, 26, 10)
    png.size shouldBeInRange 2_000..maxBytes
    val image = ImageIO.read(ByteArrayInputStream(png)) ?: throw AssertionError("the PNG does not decode")
    image.width shouldBe 2 * width
    image.height shouldBe 2 * height
    // drawn at its logical size, so the 2x picture is sharp rather than twice as large
    val meta = json.getValue("metadata").jsonObject.getValue("image/png").jsonObject
    meta.getValue("width").jsonPrimitive.int shouldBe width
    meta.getValue("height").jsonPrimitive.int shouldBe height
    data.getValue("text/plain").jsonPrimitive.content shouldBe "<Lets-Plot figure, $width x $height>"
    return image
  }

  /** Pixels within 40 per channel of [rgb]. */
  fun count(image: BufferedImage, rgb: Int): Int {
    var n = 0
    for (y in 0 until image.height) for (x in 0 until image.width) {
      val c = image.getRGB(x, y)
      if ((0..2).all { k -> kotlin.math.abs(((c shr (8 * k)) and 0xFF) - ((rgb shr (8 * k)) and 0xFF)) <= 40 }) n++
    }
    return n
  }

  test("a Lets-Plot figure: PNG at 2x with its line, SVG once, no HTML") {
    val image = checkBundle(json(linePlot), 640, 360, maxBytes = 60_000)
    count(image, 0x1f77b4) shouldBeGreaterThan 1_000 // the blue line, 2.4 px wide at 2x
    count(image, 0xffffff) shouldBeGreaterThan image.width * image.height / 2 // a white page around it
  }

  test("a training History renders as its loss plot, with a PNG") {
    val definition = KontrastIntegration().getDefinitions(
      java.lang.reflect.Proxy.newProxyInstance(javaClass.classLoader, arrayOf(org.jetbrains.kotlinx.jupyter.api.Notebook::class.java)) { _, m, _ ->
        throw UnsupportedOperationException("Notebook.${m.name}")
      } as org.jetbrains.kotlinx.jupyter.api.Notebook
    ).single()
    definition.renderers.count { it.accepts(history) } shouldBe 1
    val json = json(history.plot())
    val svg = json.getValue("data").jsonObject.getValue("image/svg+xml").jsonPrimitive.content
    svg shouldContain "Training and Validation Loss"
    val image = checkBundle(json, 600, 400, maxBytes = 60_000) // Lets-Plot's default size
    count(image, 0xff7f0e) shouldBeGreaterThan 500 // the orange validation line
  }

  test("a pairs grid (raster images): PNG at 2x, small, the digits' viridis colours exact") {
    val image = checkBundle(json(pairsGrid(pairs)), 900, 340, maxBytes = 60_000)
    count(image, 0xfde725) shouldBeGreaterThan 4 * 200 // viridis yellow strokes
    count(image, 0x440154) shouldBeGreaterThan 4 * 2_000 // viridis purple background
  }

  test("metadata from Jupyter and a display id are kept") {
    val bundle = MimeBundle(mapOf("text/plain" to "x"), mapOf("text/plain" to JsonPrimitive("m")))
    val json = bundle.toJson(JsonObject(mapOf("extra" to JsonPrimitive(1))), "figure-7")
    json.getValue("metadata").jsonObject.keys shouldBe setOf("text/plain", "extra")
    json.getValue("transient").jsonObject.getValue("display_id").jsonPrimitive.content shouldBe "figure-7"
    bundle.toJson(JsonObject(emptyMap()), null).keys shouldBe setOf("data", "metadata")
  }

  test("pngSize reads the IHDR chunk and rejects other bytes") {
    val png = io.github.kontrast.dsl.plot.Plots.svgToPng(
      """<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="red"/></svg>"""
    )
    FigureRendering.pngSize(png) shouldBe (30 to 20)
    io.kotest.assertions.throwables.shouldThrow<IllegalArgumentException> { FigureRendering.pngSize(ByteArray(30)) }
      .message shouldContain "not a PNG file (30 bytes)"
  }
})
