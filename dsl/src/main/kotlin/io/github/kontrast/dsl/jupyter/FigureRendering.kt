package io.github.kontrast.dsl.jupyter

import org.jetbrains.kotlinx.jupyter.api.MIME
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec

/**
 * Lets-Plot figures (a plot, a GGBunch, a gggrid) as static SVG. `%use lets-plot` cannot load
 * offline, and a static SVG also survives in the saved notebook, so GitHub shows the picture.
 */
object FigureRendering {
  /** The figure drawn by Lets-Plot's own SVG export. */
  fun svg(figure: Figure): String = PlotSvgExport.buildSvgImageFromRawSpecs(figure.toSpec(), null, false)

  /** The SVG as two MIME types: HTML for front ends that prefer it, image/svg+xml for the rest. */
  fun mime(svg: String): MimeTypedResult = MIME(
    "text/html" to "<div class=\"kontrast-figure\">$svg</div>",
    "image/svg+xml" to svg,
  )
}
