package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * What the evaluations read: images `[N, ...]` in, embeddings `[N, D]` out, in order. A pipeline's
 * `embed` fits (`EmbeddingFunction { model.embed(it) }`, or `model::embed` where the signature
 * matches); so does any host function. The function does its own batching.
 */
fun interface EmbeddingFunction {
  /** The embeddings `[N, D]` of [images] (`[N, ...]`), one row per image, in order. */
  fun embed(images: FloatHostArray): FloatHostArray
}

/** `embed`'s result checked: `rows` rows of one vector each. */
internal fun EmbeddingFunction.embedChecked(images: FloatHostArray, what: String): FloatHostArray {
  val e = embed(images)
  require(e.shape.size == 2 && e.rows == images.rows) {
    "the embedding function must return [${images.rows}, D] for the $what images, got ${e.shape.contentToString()}"
  }
  return e
}

/** Checks a feature matrix [N, D]. */
internal fun checkMatrix(x: FloatHostArray, name: String) {
  require(x.shape.size == 2) { "$name must be [N, D], got ${x.shape.contentToString()}" }
  require(x.rows > 0 && x.shape[1] > 0) { "$name must not be empty, got ${x.shape.contentToString()}" }
}

/** Checks class labels against the rows they label: one non-negative label per row. */
internal fun checkLabels(labels: IntArray, rows: Int, name: String) {
  require(labels.size == rows) { "$name must have one label per row ($rows), got ${labels.size}" }
  labels.firstOrNull { it < 0 }?.let { throw IllegalArgumentException("$name must be >= 0, got $it") }
}

/** The fraction of [predicted] equal to [actual]. */
internal fun accuracy(predicted: IntArray, actual: IntArray): Double =
  predicted.indices.count { predicted[it] == actual[it] }.toDouble() / predicted.size
