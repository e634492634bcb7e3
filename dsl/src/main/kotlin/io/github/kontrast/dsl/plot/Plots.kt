package io.github.kontrast.dsl.plot

import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.PNGTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec
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
   * The figure as PNG bytes, [scale] times its size in pixels (2.0 for a sharper picture). Batik's
   * CSS parser rejects `image-rendering: pixelated` (CSS 3), which Lets-Plot writes for raster
   * images, so that declaration is dropped first: Batik draws them unsmoothed anyway.
   */
  @JvmStatic
  @JvmOverloads
  fun toPng(figure: Figure, scale: Double = 1.0): ByteArray = svgToPng(toSvg(figure), scale)

  /** PNG bytes of an SVG document written by [toSvg]; see [toPng]. */
  @JvmStatic
  @JvmOverloads
  fun svgToPng(svg: String, scale: Double = 1.0): ByteArray {
    require(scale > 0 && scale.isFinite()) { "scale must be a positive finite number, got $scale" }
    val cleaned = svg.replace(PIXELATED, "")
    val transcoder = PNGTranscoder()
    if (scale != 1.0) {
      val width = WIDTH.find(cleaned)?.groupValues?.get(1)?.toFloatOrNull()
        ?: throw IllegalArgumentException("svg has no numeric width attribute, so it cannot be scaled by $scale")
      transcoder.addTranscodingHint(PNGTranscoder.KEY_WIDTH, (width * scale).toFloat())
    }
    val out = ByteArrayOutputStream()
    transcoder.transcode(TranscoderInput(StringReader(cleaned)), TranscoderOutput(out))
    return out.toByteArray()
  }

  /** Writes the figure as SVG to [file] (replacing it atomically) and returns [file]. */
  @JvmStatic
  fun saveSvg(figure: Figure, file: Path): Path = write(file, toSvg(figure).toByteArray(Charsets.UTF_8))

  /** Writes the figure as PNG to [file] (replacing it atomically) and returns [file]. */
  @JvmStatic
  @JvmOverloads
  fun savePng(figure: Figure, file: Path, scale: Double = 1.0): Path = write(file, toPng(figure, scale))

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
