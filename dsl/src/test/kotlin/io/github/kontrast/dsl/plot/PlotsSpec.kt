package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.History
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import org.jetbrains.letsPlot.intern.toSpec

class PlotsSpec : FunSpec({
  // KONTRAST_PLOT_DIR keeps the pictures for a look; otherwise a temporary directory
  val dir: Path = System.getenv("KONTRAST_PLOT_DIR")?.let { Files.createDirectories(Path.of(it)) }
    ?: Files.createTempDirectory("kontrast-plots-")
  afterSpec { if (System.getenv("KONTRAST_PLOT_DIR") == null) dir.toFile().deleteRecursively() }

  val history = mapOf(
    "loss" to listOf(0.120, 0.085, 0.061, 0.052, 0.047),
    "val_loss" to listOf(0.090, 0.066, 0.050, 0.044, 0.041),
    "pair_accuracy" to listOf(0.70, 0.78, 0.84, 0.87, 0.88),
  )
  val pairs = Mnist.loadSubset().test.take(200).pairs(seed = 1).head(6)

  /** The trimmed text of every <text> element of an SVG. */
  fun texts(svg: String): List<String> = Regex("<text[^>]*>(.*?)</text>", RegexOption.DOT_MATCHES_ALL).findAll(svg)
    .map { it.groupValues[1].replace(Regex("<[^>]+>"), "").trim() }.toList()
  /** Caption texts (those starting with [prefix]) ordered left to right by the x of the group that places them. */
  fun captionsLeftToRight(svg: String, prefix: String): List<String> =
    Regex("""<g transform="translate\(([-0-9.]+) [-0-9.]+ \) ">\s*<text[^>]*>(.*?)</text>""", RegexOption.DOT_MATCHES_ALL).findAll(svg)
      .map { it.groupValues[1].toDouble() to it.groupValues[2].trim() }
      .filter { it.second.startsWith(prefix) }
      .sortedBy { it.first }.map { it.second }.toList()
  fun decode(file: Path): BufferedImage = ImageIO.read(file.toFile()) ?: throw AssertionError("$file is not a readable PNG")
  fun colours(image: BufferedImage): Set<Int> {
    val seen = HashSet<Int>()
    for (y in 0 until image.height step 2) for (x in 0 until image.width step 2) seen += image.getRGB(x, y) and 0xFFFFFF
    return seen
  }
  /** Pixels within [tolerance] of [rgb] on every channel. */
  fun count(image: BufferedImage, rgb: Int, tolerance: Int = 40): Int {
    var n = 0
    for (y in 0 until image.height) for (x in 0 until image.width) {
      val c = image.getRGB(x, y)
      if ((0..2).all { k -> kotlin.math.abs(((c shr (8 * k)) and 0xFF) - ((rgb shr (8 * k)) and 0xFF)) <= tolerance }) n++
    }
    return n
  }

  test("the history plot has the title, both legend entries, and renders to SVG and PNG") {
    val plot = plotHistory(history)
    val svg = Plots.toSvg(plot)
    svg shouldStartWith "<svg"
    svg shouldContain "Training and Validation Loss"
    texts(svg) shouldContainAll listOf("Training and Validation Loss", "train", "val", "epoch", "loss", "1", "5")
    texts(svg) shouldNotContain "1.5" // whole epochs on the x axis
    // the figure plots exactly the given numbers: each series in epoch order, under its label
    @Suppress("UNCHECKED_CAST")
    val data = plot.toSpec()["data"] as Map<String, List<Any?>>
    data["epoch"]!!.map { (it as Number).toInt() } shouldBe (1..5).toList() + (1..5).toList()
    data["value"]!!.map { (it as Number).toDouble() } shouldBe history.getValue("loss") + history.getValue("val_loss")
    data["series"] shouldBe List(5) { "train" } + List(5) { "val" }
    val svgFile = Plots.saveSvg(plot, dir.resolve("history.svg"))
    // a well-formed SVG document (element ids differ from call to call, so compare the content)
    val doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svgFile.toFile())
    doc.documentElement.tagName shouldBe "svg"
    texts(Files.readString(svgFile)) shouldBe texts(svg)
    val png = decode(Plots.savePng(plot, dir.resolve("history.png")))
    png.width shouldBeInRange 400..2000
    png.height shouldBeInRange 300..1500
    colours(png).size shouldBeGreaterThan 20 // lines, text and antialiasing, not a blank page
    count(png, 0x1f77b4) shouldBeGreaterThan 100 // the blue train line
    count(png, 0xff7f0e) shouldBeGreaterThan 100 // the orange val line
  }

  test("History.plot uses the engine's history and epoch numbers") {
    val h = History()
    h.addEpoch(3, mapOf("loss" to 0.2, "val_loss" to 0.1))
    h.addEpoch(4, mapOf("loss" to 0.15, "val_loss" to 0.12))
    val svg = Plots.toSvg(h.plot())
    texts(svg) shouldContainAll listOf("Training and Validation Loss", "3", "4")
    texts(svg) shouldNotContain "1" // the x axis starts at epoch 3
    @Suppress("UNCHECKED_CAST")
    val data = h.plot().toSpec()["data"] as Map<String, List<Any?>>
    data["epoch"]!!.map { (it as Number).toInt() } shouldBe listOf(3, 4, 3, 4)
    data["value"]!!.map { (it as Number).toDouble() } shouldBe listOf(0.2, 0.15, 0.1, 0.12)
  }

  test("other keys get their own legend; unknown keys and mismatched labels are rejected") {
    texts(Plots.toSvg(plotHistory(history, "Accuracy", keys = listOf("pair_accuracy")))) shouldContainAll
      listOf("Accuracy", "train pair_accuracy", "pair_accuracy")
    shouldThrow<IllegalArgumentException> { plotHistory(history, keys = listOf("loss", "acc")) }.message shouldContain
      "history has no key 'acc'; it has [loss, val_loss, pair_accuracy]"
    shouldThrow<IllegalArgumentException> { plotHistory(history, labels = listOf("a")) }.message shouldContain
      "labels must have one entry per key"
  }

  test("the pairs grid shows six labelled pairs in silver") {
    val figure = pairsGrid(pairs)
    val svg = Plots.toSvg(figure)
    val labels = pairs.floats(Batch.LABEL).data
    labels.toSet() shouldBe setOf(0f, 1f) // the six pairs show both kinds, so a caption cannot be right by chance
    // one caption per pair, in the pairs' order
    texts(svg).count { it.startsWith("Label:") } shouldBe 6
    captionsLeftToRight(svg, "Label:") shouldBe List(6) { "Label: ${labels[it].toInt()}" }
    // one plot over one tiled picture: one style sheet and one embedded image, not one per cell
    Regex("<style").findAll(svg).count() shouldBe 1
    Regex("data:image/png;base64").findAll(svg).count() shouldBe 1
    svg.length shouldBeLessThan 30_000
    val png = decode(Plots.savePng(figure, dir.resolve("pairs.png")))
    Plots.saveSvg(figure, dir.resolve("pairs.svg"))
    png.width shouldBe 900
    png.height shouldBe 340
    count(png, 0xc0c0c0, tolerance = 4) shouldBeGreaterThan 1000 // six silver caption boxes
    count(png, 0xfde725) shouldBeGreaterThan 200 // viridis yellow: the digits' strokes
    count(png, 0x440154) shouldBeGreaterThan 2000 // viridis purple: the background
  }

  test("with predictions the captions say Prediction and are green when right, red when wrong") {
    val labels = pairs.floats(Batch.LABEL).data
    // right for pairs 0, 2, 4 and wrong for 1, 3, 5
    val predictions = FloatArray(6) { i -> if (i % 2 == 0) labels[i] else 1f - labels[i] }
    val figure = pairsGrid(pairs, predictions = predictions)
    val svg = Plots.toSvg(figure)
    // captions are drawn one layer per colour, so the SVG's order is not the pairs': order them by position
    texts(svg).count { it.startsWith("Prediction:") || it.startsWith("Label:") } shouldBe 6
    captionsLeftToRight(svg, "Prediction:") shouldBe List(6) { "Prediction: ${predictions[it].toInt()}" }
    val png = decode(Plots.savePng(figure, dir.resolve("pairs-predicted.png")))
    count(png, 0x008000) shouldBeGreaterThan 300 // green boxes
    count(png, 0xff0000) shouldBeGreaterThan 300 // red boxes
    count(png, 0xc0c0c0, tolerance = 4) shouldBeLessThan 100 // no silver boxes (only antialiased edges)
    // an explicit correct array wins over comparing with the labels
    val allRed = decode(Plots.savePng(pairsGrid(pairs, predictions = predictions, correct = BooleanArray(6)), dir.resolve("red.png")))
    count(allRed, 0x008000) shouldBe 0
  }

  test("bad grid arguments are rejected naming them") {
    shouldThrow<IllegalArgumentException> { pairsGrid(pairs, n = 7) }.message shouldContain "n must be in 1..6"
    shouldThrow<IllegalArgumentException> { pairsGrid(pairs, correct = BooleanArray(6)) }.message shouldContain "correct needs predictions"
    shouldThrow<IllegalArgumentException> { imageGrid(pairs.floats(Batch.LABEL)) }.message shouldContain "images must be [N, rows, cols]"
  }

  test("the compact PNG of a line plot is its 256-colour form, much smaller than the exact one") {
    val svg = Plots.toSvg(plotHistory(history))
    val exact = Plots.svgToPng(svg, 2.0)
    val compact = Plots.svgToCompactPng(svg, 2.0)
    val image = ImageIO.read(ByteArrayInputStream(compact))
    image.width shouldBe ImageIO.read(ByteArrayInputStream(exact)).width
    (image.colorModel as java.awt.image.IndexColorModel).mapSize shouldBeInRange 2..256
    compact.size shouldBeLessThan exact.size * 3 / 4
    count(image, 0x1f77b4) shouldBeGreaterThan 400 // the train line survives the palette
  }

  test("PNG export scales, and the colour map is exact at its ends") {
    val small = ImageIO.read(ByteArrayInputStream(Plots.toPng(plotHistory(history))))
    val big = ImageIO.read(ByteArrayInputStream(Plots.toPng(plotHistory(history), scale = 2.0)))
    big.width shouldBe small.width * 2
    Colormap.VIRIDIS.rgb(0f) shouldBe 0x440154
    Colormap.VIRIDIS.rgb(1f) shouldBe 0xfde725
    Colormap.GREYS.rgb(0.5f) shouldBe 0x808080
    Colormap.GREYS.rgb(2f) shouldBe 0xffffff
  }
})
