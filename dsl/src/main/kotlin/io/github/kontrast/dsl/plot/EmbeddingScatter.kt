package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.eval.Pca
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.label.ggtitle
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorManual

/** Matplotlib's tab10, the usual colours of ten classes. */
internal val CLASS_COLOURS = listOf(
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)

/**
 * A 2-D PCA scatter of [embeddings] ([N, D]) coloured by [labels]: the first two principal
 * components ([Pca], on the host), each axis titled with its share of the variance. [classNames]
 * names the labels in the legend (default: the numbers). Up to ten classes get tab10's colours.
 */
@JvmOverloads
fun pcaScatter(
  embeddings: FloatHostArray,
  labels: IntArray,
  title: String = "PCA of the embeddings",
  classNames: Map<Int, String> = emptyMap(),
  pointSize: Double = 1.5,
): Figure {
  require(embeddings.shape.size == 2) { "embeddings must be [N, D], got ${embeddings.shape.contentToString()}" }
  require(labels.size == embeddings.rows) { "labels must have one entry per embedding (${embeddings.rows}), got ${labels.size}" }
  require(embeddings.shape[1] >= 2) { "embeddings need at least 2 dimensions for a 2-D PCA, got ${embeddings.shape[1]}" }
  val pca = Pca.fit(embeddings, 2)
  val xy = pca.transform(embeddings).data
  val classes = labels.distinct().sorted()
  require(classes.size <= CLASS_COLOURS.size) { "at most ${CLASS_COLOURS.size} classes can be told apart by colour, got ${classes.size}" }
  val name = { c: Int -> classNames[c] ?: c.toString() }
  val data = mapOf(
    "pc1" to List(labels.size) { xy[2 * it].toDouble() },
    "pc2" to List(labels.size) { xy[2 * it + 1].toDouble() },
    "class" to labels.map(name),
  )
  val ratio = pca.explainedVarianceRatio
  return letsPlot(data) { x = "pc1"; y = "pc2"; color = "class" } +
    geomPoint(size = pointSize, alpha = 0.7) +
    scaleColorManual(values = CLASS_COLOURS.take(classes.size), limits = classes.map(name), name = "class") +
    labs(x = "PC 1 (%.1f%% of the variance)".format(100 * ratio[0]), y = "PC 2 (%.1f%% of the variance)".format(100 * ratio[1])) +
    ggtitle(title) +
    ggsize(640, 520)
}
