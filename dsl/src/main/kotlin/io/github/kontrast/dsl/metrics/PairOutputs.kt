package io.github.kontrast.dsl.metrics

import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * What pair metrics read: per pair [distance] (`[B]`) and [similar] (`[B]`, 1 for a similar pair,
 * 0 otherwise, whatever label convention the data used). [higherIsSimilar] is true when
 * [distance] is really a similarity (cosine), so that thresholds flip.
 *
 * @property distance each pair's distance (or similarity), float `[B]`.
 * @property similar each pair's truth, float `[B]`: 1 for a similar pair, 0 otherwise.
 * @property higherIsSimilar whether [distance] is a similarity; false by default.
 */
class PairOutputs(val distance: Operand<TFloat32>, val similar: Operand<TFloat32>, val higherIsSimilar: Boolean = false)
