package io.github.kontrast.dsl.jupyter

import org.jetbrains.kotlinx.jupyter.api.MIME
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.letsPlot.Figure
import io.github.kontrast.dsl.plot.Plots

/**
 * Lets-Plot figures (a plot, a GGBunch, a gggrid) as static SVG. `%use lets-plot` cannot load
 * offline, and a static SVG also survives in the saved notebook, so GitHub shows the picture.
 */
object FigureRendering {
  /** The figure drawn by Lets-Plot's own SVG export (as the library writes .svg files). */
  fun svg(figure: Figure): String = Plots.toSvg(figure)

  /** The SVG as two MIME types: HTML for front ends that prefer it, image/svg+xml for the rest. */
  fun mime(svg: String): MimeTypedResult = MIME(
    "text/html" to "<div class=\"kontrast-figure\">$svg</div>",
    "image/svg+xml" to svg,
  )
}
