package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.RasterData
import org.jetbrains.letsPlot.geom.geomImshow
import org.jetbrains.letsPlot.geom.geomLabel
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeVoid
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.scale.xlim
import org.jetbrains.letsPlot.scale.ylim

/**
 * A caption over an image: its text and the colour of the box behind it.
 *
 * @property text the words shown.
 * @property fill the box's colour as "#rrggbb" (default [SILVER]).
 */
class Caption(val text: String, val fill: String = SILVER) {
  companion object {
    /** Matplotlib's named colours that document 001 uses (Lets-Plot's "green" is brighter); "silver": a label. */
    const val SILVER = "#c0c0c0"
    /** Matplotlib's "green": a right prediction in document 001's figures. */
    const val GREEN = "#008000"

    /** Matplotlib's "red": a wrong prediction. */
    const val RED = "#ff0000"
  }
}

/**
 * Images in a grid of [columns] columns, row by row, each with an optional caption drawn above
 * it in a coloured box (as document 001's display_pairs does with matplotlib's text boxes).
 * [images] is float [N, rows, cols] or [N, rows, cols, 1] with grey levels in [0, 1], drawn
 * through [colormap] (default viridis, matplotlib's default that document 001's figures show), or
 * [N, rows, cols, 3] with RGB values in [0, 1], drawn as they are.
 * [cellWidth] and [cellHeight] are the pixels of one cell.
 *
 * The grid is one plot over one picture with the images tiled on a white ground, not a plot per
 * image: its SVG then holds one style sheet and one embedded image instead of one per cell, about a
 * quarter of the size, which matters in a saved notebook.
 */
@JvmOverloads
fun imageGrid(
  images: FloatHostArray,
  captions: List<Caption?> = emptyList(),
  columns: Int = minOf(images.rows, 6),
  colormap: Colormap = Colormap.VIRIDIS,
  cellWidth: Int = 150,
  cellHeight: Int = 170,
): Figure {
  val shape = images.shape
  require(shape.size == 3 || (shape.size == 4 && (shape[3] == 1 || shape[3] == 3))) {
    "images must be [N, rows, cols], [N, rows, cols, 1] or [N, rows, cols, 3], got ${shape.contentToString()}"
  }
  require(images.rows > 0) { "images must hold at least one image, got none" }
  require(columns > 0) { "columns must be > 0, got $columns" }
  require(captions.size <= images.rows) { "captions must not outnumber the ${images.rows} images, got ${captions.size}" }
  require(cellWidth > 0 && cellHeight > 0) { "cell size must be positive, got ${cellWidth}x$cellHeight" }
  val rows = shape[1]
  val cols = shape[2]
  val gridRows = (images.rows + columns - 1) / columns
  val layout = GridLayout(rows, cols, columns, gridRows)

  // the tiled picture, RGB 0..255, row 0 at the top; white between and above the images
  val rgb = IntArray(layout.width * layout.height * 3) { 255 }
  for (i in 0 until images.rows) {
    val colours = if (shape.size == 4 && shape[3] == 3) {
      IntArray(rows * cols * 3) { Math.round(images.data[i * rows * cols * 3 + it].coerceIn(0f, 1f) * 255f) }
    } else {
      colormap.toRgb(images.data.copyOfRange(i * rows * cols, (i + 1) * rows * cols))
    }
    val (left, top) = layout.origin(i)
    for (r in 0 until rows) {
      System.arraycopy(colours, r * cols * 3, rgb, ((top + r) * layout.width + left) * 3, cols * 3)
    }
  }
  // geomImshow spans x in [-0.5, width - 0.5] and y in [-0.5, height - 0.5], row 0 at the top
  var plot = letsPlot() +
    geomImshow(RasterData.create(rgb, layout.width, layout.height, 3), showLegend = false) +
    xlim(listOf(-0.5, layout.width - 0.5)) +
    ylim(listOf(-0.5, layout.height - 0.5)) +
    themeVoid() +
    coordFixed()
  // one layer of captions per fill colour, each caption in the band above its image
  captions.withIndex().filter { it.value != null }.groupBy { it.value!!.fill }.forEach { (fill, shown) ->
    val data = mapOf(
      "x" to shown.map { layout.origin(it.index).first + 0.5 },
      "y" to shown.map { layout.height - 1 - (layout.origin(it.index).second - layout.captionBand / 2.0) },
      "text" to shown.map { it.value!!.text },
    )
    plot += geomLabel(data = data, fill = fill, color = "black", hjust = 0, fontface = "italic", size = 6) {
      x = "x"; y = "y"; label = "text"
    }
  }
  return plot + ggsize(columns * cellWidth, gridRows * cellHeight)
}

/**
 * Where each image sits in the tiled picture: cells of the image's size plus a gap beside it and a
 * caption band above it, in the proportions of document 001's figure (an image takes about 90% of
 * a cell's width).
 */
private class GridLayout(rows: Int, cols: Int, private val columns: Int, gridRows: Int) {
  private val gap = maxOf(2, Math.round(cols * 0.12f))
  val captionBand = maxOf(4, Math.round(rows * 0.32f))
  private val cellWidth = cols + gap
  private val cellHeight = rows + captionBand
  val width = columns * cellWidth
  val height = gridRows * cellHeight

  /** Column and row of image [i]'s top-left pixel. */
  fun origin(i: Int): Pair<Int, Int> = (i % columns) * cellWidth + gap / 2 to (i / columns) * cellHeight + captionBand
}
