package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.geom.RasterData
import org.jetbrains.letsPlot.geom.geomImshow
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
 * [values] (`[N]`) each point takes the hue of its value, with a colour bar named [valueName].
 *
 * More than [vectorLimit] points are drawn into one picture (dots of [dotPixels] pixels on a grid
 * of [size] x [size] pixels at most) placed on the plot's axes, rather than as one SVG element
 * each: 9,425 points would make a 1.4 MB figure, too heavy for a notebook.
 */
@JvmOverloads
fun pointsPlot(
  points: FloatHostArray,
  values: FloatArray? = null,
  title: String = "",
  valueName: String = "value",
  size: Int = 480,
  vectorLimit: Int = 2000,
  dotPixels: Int = 2,
): Plot {
  requirePoints(points, "points")
  require(values == null || values.size == points.rows) { "values must have one entry per point (${points.rows}), got ${values?.size}" }
  require(values == null || values.all { it.isFinite() }) { "values must be finite" }
  require(size > 0 && dotPixels > 0) { "size and dotPixels must be > 0, got $size and $dotPixels" }
  val n = points.rows
  val xs = DoubleArray(n) { points.data[2 * it].toDouble() }
  val ys = DoubleArray(n) { points.data[2 * it + 1].toDouble() }
  val legend = if (values == null) 0 else 90
  var plot = if (n <= vectorLimit) {
    val data = mutableMapOf<String, Any>("x" to xs.toList(), "y" to ys.toList())
    if (values == null) {
      letsPlot(data) { x = "x"; y = "y" } + geomPoint(size = 0.6, color = POINT_COLOUR)
    } else {
      data[valueName] = values.map { it.toDouble() }
      letsPlot(data) { x = "x"; y = "y"; color = valueName } + geomPoint(size = 0.6) + scaleColorGradientN(colors = HUE_COLOURS, name = valueName)
    }
  } else {
    val raster = PointRaster(xs, ys, size)
    val low = values?.minOrNull()?.toDouble() ?: 0.0
    val high = values?.maxOrNull()?.toDouble() ?: 0.0
    val rgb = raster.draw(dotPixels) { i ->
      if (values == null) POINT_RGB else hueRgb(if (high > low) (values[i] - low) / (high - low) else 0.0)
    }
    var p = letsPlot() + geomImshow(RasterData.create(rgb, raster.width, raster.height, 3), extent = raster.extent, showLegend = false)
    if (values != null) {
      // the colour bar: two invisible points carrying the range of the values
      val ends = mapOf("x" to listOf(raster.extent[0], raster.extent[0]), "y" to listOf(raster.extent[2], raster.extent[2]), valueName to listOf(low, high))
      p += geomPoint(data = ends, alpha = 0.0) { x = "x"; y = "y"; color = valueName } + scaleColorGradientN(colors = HUE_COLOURS, name = valueName)
    }
    p
  }
  plot += coordFixed() + labs(x = "x", y = "y") + ggsize(size + legend, size)
  if (title.isNotEmpty()) plot += ggtitle(title)
  return plot
}

private const val POINT_COLOUR = "#1f77b4"
private const val POINT_RGB = 0x1f77b4

/** Wolfram's Hue[h] at full saturation and brightness, as 0xRRGGBB, for h in [0, 1]. */
internal fun hueRgb(h: Double): Int {
  val scaled = (h.coerceIn(0.0, 1.0) * 6).let { if (it >= 6) 0.0 else it }
  val sector = scaled.toInt()
  val f = scaled - sector
  fun c(v: Double) = Math.round(v * 255).toInt()
  val (r, g, b) = when (sector) {
    0 -> Triple(1.0, f, 0.0)
    1 -> Triple(1 - f, 1.0, 0.0)
    2 -> Triple(0.0, 1.0, f)
    3 -> Triple(0.0, 1 - f, 1.0)
    4 -> Triple(f, 0.0, 1.0)
    else -> Triple(1.0, 0.0, 1 - f)
  }
  return (c(r) shl 16) or (c(g) shl 8) or c(b)
}

/**
 * Points drawn into a white picture whose pixels are square in data units (so that coordFixed
 * keeps them round), at most [maxPixels] on the longer side, with a margin of 3% of the range.
 */
internal class PointRaster(private val xs: DoubleArray, private val ys: DoubleArray, maxPixels: Int) {
  private val xMin: Double
  private val yMin: Double
  private val unit: Double
  val width: Int
  val height: Int

  init {
    val x0 = xs.min(); val x1 = xs.max(); val y0 = ys.min(); val y1 = ys.max()
    val span = maxOf(x1 - x0, y1 - y0).let { if (it > 0) it else 1.0 }
    val pad = 0.03 * span
    unit = (span + 2 * pad) / maxPixels
    xMin = x0 - pad
    yMin = y0 - pad
    width = maxOf(1, Math.ceil((x1 - x0 + 2 * pad) / unit).toInt())
    height = maxOf(1, Math.ceil((y1 - y0 + 2 * pad) / unit).toInt())
  }

  /** Where the picture sits on the axes: xmin, xmax, ymin, ymax. */
  val extent: List<Double> get() = listOf(xMin, xMin + width * unit, yMin, yMin + height * unit)

  /** RGB 0..255, row 0 at the top, each point a [dot] x [dot] square in [colour] of its index, later points on top. */
  fun draw(dot: Int, colour: (Int) -> Int): IntArray {
    val rgb = IntArray(width * height * 3) { 255 }
    for (i in xs.indices) {
      val c = colour(i)
      val col = ((xs[i] - xMin) / unit).toInt()
      val row = height - 1 - ((ys[i] - yMin) / unit).toInt()
      for (dy in 0 until dot) for (dx in 0 until dot) {
        val r = row + dy - dot / 2
        val q = col + dx - dot / 2
        if (r in 0 until height && q in 0 until width) {
          val at = (r * width + q) * 3
          rgb[at] = (c shr 16) and 0xFF; rgb[at + 1] = (c shr 8) and 0xFF; rgb[at + 2] = c and 0xFF
        }
      }
    }
    return rgb
  }
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

/** Points of the plane, float `[N, 2]`, coloured by class (`[N]` ints): a 2-D latent space or embedding. */
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
