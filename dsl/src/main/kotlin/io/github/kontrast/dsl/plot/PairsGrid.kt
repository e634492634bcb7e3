package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import org.jetbrains.letsPlot.Figure

/**
 * Document 001's display_pairs: [n] pairs side by side, the first images in the top row and the
 * second images below them. Without [predictions] each pair is captioned "Label: l" (its
 * [Batch.LABEL], 1 = similar) in silver; with [predictions] (predicted labels, e.g.
 * round(1 - distance) for document 001's model) "Prediction: p" in green when right and red when
 * wrong, where right is [correct] if given, else prediction == label.
 */
@JvmOverloads
fun pairsGrid(
  pairs: Batch,
  n: Int = 6,
  predictions: FloatArray? = null,
  correct: BooleanArray? = null,
  colormap: Colormap = Colormap.VIRIDIS,
): Figure {
  require(n in 1..pairs.size) { "n must be in 1..${pairs.size} (the pairs in the batch), got $n" }
  require(correct == null || predictions != null) { "correct needs predictions to colour: give predictions too" }
  require(predictions == null || predictions.size >= n) { "predictions must cover the $n pairs shown, got ${predictions!!.size}" }
  require(correct == null || correct.size >= n) { "correct must cover the $n pairs shown, got ${correct!!.size}" }
  val first = pairs.floats(Batch.FIRST)
  val second = pairs.floats(Batch.SECOND)
  val labels = pairs.floats(Batch.LABEL).data
  val shown = IntArray(n) { it }
  val top = first.gather(shown)
  val bottom = second.gather(shown)
  val captions = (0 until n).map { i ->
    if (predictions == null) {
      Caption("Label: ${labels[i].toInt()}", Caption.SILVER)
    } else {
      val predicted = predictions[i].toInt()
      val right = correct?.get(i) ?: (predicted == labels[i].toInt())
      Caption("Prediction: $predicted", if (right) Caption.GREEN else Caption.RED)
    }
  }
  val both = FloatHostArray(top.data + bottom.data, intArrayOf(2 * n) + top.shape.copyOfRange(1, top.shape.size))
  return imageGrid(both, captions + List(n) { null }, columns = n, colormap = colormap)
}

/**
 * [pairsGrid] captioned with a model's decisions, as a Siamese model's `predictSimilar` returns
 * them: "Prediction: 1" where a pair is predicted similar (label 1 = similar, as the pairs' own
 * labels), green when it matches the label and red when it does not.
 */
@JvmOverloads
fun pairsGrid(
  pairs: Batch,
  predictedSimilar: BooleanArray,
  n: Int = minOf(pairs.size, 6),
  colormap: Colormap = Colormap.VIRIDIS,
): Figure {
  require(predictedSimilar.size >= n) { "predictedSimilar must cover the $n pairs shown, got ${predictedSimilar.size}" }
  return pairsGrid(pairs, n, FloatArray(n) { if (predictedSimilar[it]) 1f else 0f }, null, colormap)
}
