package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.ggtitle
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorGradientN
import org.jetbrains.letsPlot.scale.scaleColorManual
import org.jetbrains.letsPlot.scale.scaleFillGradientN

/**
 * Wolfram's `ColorFunction -> Hue`: the value, scaled to [0, 1] over its range, is the hue of a
 * full-brightness colour, from red through yellow, green, cyan, blue and magenta back to red.
 */
val HUE_COLOURS: List<String> = listOf("#ff0000", "#ffff00", "#00ff00", "#00ffff", "#0000ff", "#ff00ff", "#ff0000")

private fun requirePoints(points: FloatHostArray, name: String) {
  require(points.shape.size == 2 && points.shape[1] == 2) { "$name must be [N, 2], got ${points.shape.contentToString()}" }
  require(points.rows > 0) { "$name must hold at least one point, got none" }
}

/**
 * Points of the plane, float [N, 2], as a scatter (document 002's `Graphics[Point[...]]`); with
 * [values] ([N]) each point takes the hue of its value, with a colour bar named [valueName].
 */
@JvmOverloads
fun pointsPlot(
  points: FloatHostArray,
  values: FloatArray? = null,
  title: String = "",
  valueName: String = "value",
  pointSize: Double = 0.6,
  size: Int = 480,
): Plot {
  requirePoints(points, "points")
  require(values == null || values.size == points.rows) { "values must have one entry per point (${points.rows}), got ${values?.size}" }
  val data = mutableMapOf<String, Any>(
    "x" to List(points.rows) { points.data[2 * it].toDouble() },
    "y" to List(points.rows) { points.data[2 * it + 1].toDouble() },
  )
  var plot = if (values == null) {
    letsPlot(data) { x = "x"; y = "y" } + geomPoint(size = pointSize, color = "#1f77b4")
  } else {
    data[valueName] = values.map { it.toDouble() }
    letsPlot(data) { x = "x"; y = "y"; color = valueName } + geomPoint(size = pointSize) + scaleColorGradientN(colors = HUE_COLOURS, name = valueName)
  }
  plot += coordFixed() + labs(x = "x", y = "y") + ggsize(size + if (values == null) 0 else 90, size)
  if (title.isNotEmpty()) plot += ggtitle(title)
  return plot
}

/**
 * A value over a grid of the plane as a colour map with the hue scale: document 002's
 * `ArrayPlot[..., ColorFunction -> Hue]` of a 1-D embedding. [grid] is float [K * K, 2] (as
 * `Spiral.grid` makes it), [values] the value at each grid point. Drawn with x to the right and
 * y upwards, as the points are plotted (ArrayPlot would put the first coordinate down the rows).
 */
@JvmOverloads
fun fieldMap(grid: FloatHostArray, values: FloatArray, title: String = "", valueName: String = "embedding", size: Int = 480): Plot {
  requirePoints(grid, "grid")
  require(values.size == grid.rows) { "values must have one entry per grid point (${grid.rows}), got ${values.size}" }
  val data = mapOf(
    "x" to List(grid.rows) { grid.data[2 * it].toDouble() },
    "y" to List(grid.rows) { grid.data[2 * it + 1].toDouble() },
    valueName to values.map { it.toDouble() },
  )
  var plot = letsPlot(data) { x = "x"; y = "y"; fill = valueName } +
    geomRaster() + scaleFillGradientN(colors = HUE_COLOURS, name = valueName) + coordFixed() + labs(x = "x", y = "y") + ggsize(size + 90, size)
  if (title.isNotEmpty()) plot += ggtitle(title)
  return plot
}

/** Points of the plane, float [N, 2], coloured by class ([N] ints): a 2-D latent space or embedding. */
@JvmOverloads
fun pointsByClass(points: FloatHostArray, classes: IntArray, title: String = "", pointSize: Double = 1.0, size: Int = 480): Plot {
  requirePoints(points, "points")
  require(classes.size == points.rows) { "classes must have one entry per point (${points.rows}), got ${classes.size}" }
  val names = classes.distinct().sorted()
  require(names.size <= CLASS_COLOURS.size) { "at most ${CLASS_COLOURS.size} classes can be told apart, got ${names.size}" }
  val data = mapOf(
    "x" to List(points.rows) { points.data[2 * it].toDouble() },
    "y" to List(points.rows) { points.data[2 * it + 1].toDouble() },
    "class" to classes.map { it.toString() },
  )
  var plot = letsPlot(data) { x = "x"; y = "y"; color = "class" } + geomPoint(size = pointSize, alpha = 0.7) +
    scaleColorManual(values = CLASS_COLOURS.take(names.size), limits = names.map { it.toString() }, name = "class") +
    labs(x = "z1", y = "z2") + ggsize(size + 60, size)
  if (title.isNotEmpty()) plot += ggtitle(title)
  return plot
}

/** Matplotlib's tab10, ten colours that stay apart. */
private val CLASS_COLOURS = listOf(
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
