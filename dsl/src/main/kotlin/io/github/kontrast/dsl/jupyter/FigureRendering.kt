package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.plot.Plots
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.letsPlot.Figure
import java.util.Base64

/**
 * Lets-Plot figures (a plot, a GGBunch, a gggrid) as static pictures that survive in the saved
 * notebook (`%use lets-plot` cannot load offline), in two forms:
 * - `image/svg+xml`, drawn by Lets-Plot's own SVG export: sharp at any zoom, shown by a trusted
 *   notebook (Jupyter prefers it to PNG);
 * - `image/png` at [SCALE] times the figure's size, with its logical size in the metadata: shown by
 *   an untrusted notebook (one opened fresh), where Jupyter renders no SVG and sanitises HTML.
 * No `text/html` copy: an untrusted notebook would show it sanitised (the SVG's text labels only)
 * in preference to the PNG.
 */
object FigureRendering {
  /** Pixels of PNG per pixel of figure: crisp on high-density screens. */
  const val SCALE = 2

  /** The figure's output: SVG, PNG and a line of text for text-only front ends. */
  fun output(figure: Figure): MimeBundle = output(Plots.toSvg(figure))

  /** The output of an SVG document written by [Plots.toSvg]. */
  fun output(svg: String): MimeBundle {
    val png = Plots.svgToCompactPng(svg, SCALE.toDouble())
    val (width, height) = pngSize(png)
    val logicalWidth = (width + SCALE - 1) / SCALE
    val logicalHeight = (height + SCALE - 1) / SCALE
    return MimeBundle(
      data = mapOf(
        "image/png" to Base64.getEncoder().encodeToString(png),
        "image/svg+xml" to svg,
        "text/plain" to "<Lets-Plot figure, $logicalWidth x $logicalHeight>",
      ),
      metadata = mapOf(
        "image/png" to JsonObject(mapOf("width" to JsonPrimitive(logicalWidth), "height" to JsonPrimitive(logicalHeight))),
      ),
    )
  }

  /** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian). */
  internal fun pngSize(png: ByteArray): Pair<Int, Int> {
    require(png.size >= 24 && png.copyOf(8).contentEquals(PNG_SIGNATURE)) { "not a PNG file (${png.size} bytes)" }
    fun int(at: Int) = (0 until 4).fold(0) { acc, k -> (acc shl 8) or (png[at + k].toInt() and 0xFF) }
    return int(16) to int(20)
  }

  /** The eight bytes every PNG file starts with. */
  val PNG_SIGNATURE = byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
}
