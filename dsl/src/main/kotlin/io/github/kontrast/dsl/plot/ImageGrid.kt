package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.RasterData
import org.jetbrains.letsPlot.geom.geomImshow
import org.jetbrains.letsPlot.geom.geomLabel
import org.jetbrains.letsPlot.gggrid
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeVoid
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.scale.xlim
import org.jetbrains.letsPlot.scale.ylim

/** A caption over an image: its text and the colour of the box behind it. */
class Caption(val text: String, val fill: String = SILVER) {
  companion object {
    /** Matplotlib's named colours that document 001 uses (Lets-Plot's "green" is brighter). */
    const val SILVER = "#c0c0c0"
    const val GREEN = "#008000"
    const val RED = "#ff0000"
  }
}

/**
 * Images in a grid of [columns] columns, row by row, each with an optional caption drawn above
 * it in a coloured box (as document 001's display_pairs does with matplotlib's text boxes).
 * [images] is float [N, rows, cols] or [N, rows, cols, 1] with grey levels in [0, 1], drawn
 * through [colormap] (default viridis, matplotlib's default that document 001's figures show).
 * [cellWidth] and [cellHeight] are the pixels of one cell.
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
  require(shape.size == 3 || (shape.size == 4 && shape[3] == 1)) {
    "images must be [N, rows, cols] or [N, rows, cols, 1], got ${shape.contentToString()}"
  }
  require(images.rows > 0) { "images must hold at least one image, got none" }
  require(columns > 0) { "columns must be > 0, got $columns" }
  require(captions.size <= images.rows) { "captions must not outnumber the ${images.rows} images, got ${captions.size}" }
  require(cellWidth > 0 && cellHeight > 0) { "cell size must be positive, got ${cellWidth}x$cellHeight" }
  val rows = shape[1]
  val cols = shape[2]
  val plots = (0 until images.rows).map { i ->
    val pixels = images.data.copyOfRange(i * rows * cols, (i + 1) * rows * cols)
    imageCell(pixels, rows, cols, captions.getOrNull(i), colormap)
  }
  val gridRows = (images.rows + columns - 1) / columns
  return gggrid(plots, ncol = columns) + ggsize(columns * cellWidth, gridRows * cellHeight)
}

/** One image (row 0 at the top, as imshow draws it) with its caption in a box above it. */
private fun imageCell(pixels: FloatArray, rows: Int, cols: Int, caption: Caption?, colormap: Colormap): Plot {
  // RGB values 0..255 are drawn as they are (no per-image rescaling, unlike a grey image)
  var p = letsPlot() +
    geomImshow(RasterData.create(colormap.toRgb(pixels), cols, rows, 3), showLegend = false) +
    xlim(listOf(-0.5, cols - 0.5)) +
    themeVoid() +
    coordFixed()
  if (caption != null) {
    // geomImshow puts the image over y in [-0.5, rows - 0.5]: the caption goes just above it
    val label = mapOf("x" to listOf(0.5), "y" to listOf(rows + 2.5), "text" to listOf(caption.text))
    p += geomLabel(data = label, fill = caption.fill, color = "black", hjust = 0, fontface = "italic", size = 6) {
      x = "x"; y = "y"; this.label = "text"
    }
  }
  return p + ylim(listOf(-0.5, rows + 5.5))
}
