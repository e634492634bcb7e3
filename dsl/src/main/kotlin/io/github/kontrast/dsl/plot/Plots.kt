package io.github.kontrast.dsl.plot

import org.apache.batik.ext.awt.image.codec.png.PNGEncodeParam
import org.apache.batik.ext.awt.image.codec.png.PNGImageEncoder
import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.ImageTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec
import java.awt.Color
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.io.StringReader
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/**
 * Lets-Plot figures (a plot or a gggrid) as SVG and PNG files, without a browser or Lets-Plot's
 * image-export artifact (not on the registry): Lets-Plot's own SVG export, then Batik for PNG.
 */
object Plots {
  /** The figure as an SVG document, drawn by Lets-Plot's SVG export. */
  @JvmStatic
  fun toSvg(figure: Figure): String = PlotSvgExport.buildSvgImageFromRawSpecs(figure.toSpec(), null, false)

  /**
   * The figure as PNG bytes, [scale] times its size in pixels (2.0 for a sharper picture), on a
   * white background. Batik's CSS parser rejects `image-rendering: pixelated` (CSS 3), which
   * Lets-Plot writes for raster images, so that declaration is dropped first: Batik draws them
   * unsmoothed anyway.
   */
  @JvmStatic
  @JvmOverloads
  fun toPng(figure: Figure, scale: Double = 1.0): ByteArray = svgToPng(toSvg(figure), scale)

  /** PNG bytes of an SVG document written by [toSvg]; see [toPng]. */
  @JvmStatic
  @JvmOverloads
  fun svgToPng(svg: String, scale: Double = 1.0): ByteArray = encode(render(svg, scale))

  /**
   * The smaller of two PNG files of the figure: the exact picture, or the picture in its 256 most
   * frequent colours (see [Palette]). Line plots are about half as large in the second form; images
   * such as MNIST digits compress better in the first. This is what notebooks store, at 2x.
   */
  @JvmStatic
  @JvmOverloads
  fun toCompactPng(figure: Figure, scale: Double = 2.0): ByteArray = svgToCompactPng(toSvg(figure), scale)

  /** [toCompactPng] of an SVG document written by [toSvg]. */
  @JvmStatic
  @JvmOverloads
  fun svgToCompactPng(svg: String, scale: Double = 2.0): ByteArray {
    val image = render(svg, scale)
    val exact = encode(image)
    val reduced = encode(Palette.reduce(image))
    return if (reduced.size < exact.size) reduced else exact
  }

  /** Writes the figure as SVG to [file] (replacing it atomically) and returns [file]. */
  @JvmStatic
  fun saveSvg(figure: Figure, file: Path): Path = write(file, toSvg(figure).toByteArray(Charsets.UTF_8))

  /** Writes the figure as PNG to [file] (replacing it atomically) and returns [file]. */
  @JvmStatic
  @JvmOverloads
  fun savePng(figure: Figure, file: Path, scale: Double = 1.0): Path = write(file, toPng(figure, scale))

  /** The SVG drawn by Batik into an opaque image of [scale] times the SVG's width. */
  private fun render(svg: String, scale: Double): BufferedImage {
    require(scale > 0 && scale.isFinite()) { "scale must be a positive finite number, got $scale" }
    val cleaned = svg.replace(PIXELATED, "")
    val transcoder = Capture()
    transcoder.addTranscodingHint(ImageTranscoder.KEY_BACKGROUND_COLOR, Color.WHITE)
    if (scale != 1.0) {
      val width = WIDTH.find(cleaned)?.groupValues?.get(1)?.toFloatOrNull()
        ?: throw IllegalArgumentException("svg has no numeric width attribute, so it cannot be scaled by $scale")
      transcoder.addTranscodingHint(ImageTranscoder.KEY_WIDTH, (width * scale).toFloat())
    }
    transcoder.transcode(TranscoderInput(StringReader(cleaned)), null)
    val argb = transcoder.image ?: throw IllegalStateException("Batik drew no image from the SVG")
    // the background is opaque white, so the alpha channel carries nothing: drop it
    val rgb = BufferedImage(argb.width, argb.height, BufferedImage.TYPE_INT_RGB)
    val g = rgb.createGraphics()
    try { g.drawImage(argb, 0, 0, null) } finally { g.dispose() }
    return rgb
  }

  /** PNG bytes through Batik's encoder (its filter choice gives smaller files than ImageIO's here). */
  private fun encode(image: BufferedImage): ByteArray {
    val out = ByteArrayOutputStream()
    PNGImageEncoder(out, PNGEncodeParam.getDefaultEncodeParam(image)).encode(image)
    return out.toByteArray()
  }

  /** Keeps the image Batik draws instead of writing it anywhere. */
  private class Capture : ImageTranscoder() {
    var image: BufferedImage? = null

    override fun createImage(width: Int, height: Int) = BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB)

    override fun writeImage(img: BufferedImage, output: TranscoderOutput?) { image = img }
  }

  private fun write(file: Path, bytes: ByteArray): Path {
    file.toAbsolutePath().parent?.let { Files.createDirectories(it) }
    val tmp = file.resolveSibling(".${file.fileName}.part")
    Files.write(tmp, bytes)
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
    return file
  }

  private val PIXELATED = Regex("""image-rendering\s*:\s*pixelated\s*;?""")
  private val WIDTH = Regex("""<svg[^>]*?\swidth="([0-9.]+)""")
}
