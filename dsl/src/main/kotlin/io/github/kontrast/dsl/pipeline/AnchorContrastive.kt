@file:JvmName("AnchorContrastive")

package io.github.kontrast.dsl.pipeline

import io.github.kontrast.losses.ContrastiveLoss
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import org.tensorflow.types.family.TNumber

/**
 * One anchor against a batch: the contrastive loss of the pairs (anchor, candidate i) for every
 * row i of [candidates] (`[N, D]`), labelled by [labels] (`[N]`, read through the loss's convention),
 * reduced as the loss reduces (the mean, by default). [anchor] is `[D]` or `[1, D]`.
 *
 * This is what document 003's `ContrastiveLossNegativeSampling` meant. As written it does not run:
 * `F.pairwise_distance(output1.unsqueeze(0), output_batch)` already gives the N distances, so
 * `euclidean_distances[0]` is one 0-d tensor and the `for` loop over it fails ("iteration over a
 * 0-d tensor"), and `num_negatives` is stored but never used. Here it is one vectorised call: the
 * anchor broadcast to [N, D] and the loss's own pairwise distance and per-pair terms, no loop over
 * elements, so the graph is the same size for any N and the value is exactly the per-pair loss of
 * the N pairs. Choosing the candidates (which negatives, how many) is the caller's.
 *
 * From Java: `AnchorContrastive.callAnchor(loss, tf, anchor, candidates, labels)`.
 */
fun ContrastiveLoss.callAnchor(
  tf: Ops,
  anchor: Operand<TFloat32>,
  candidates: Operand<TFloat32>,
  labels: Operand<out TNumber>,
): Operand<TFloat32> {
  val c = candidates.shape()
  require(c.numDimensions() == 2) { "candidates must be [N, D], got shape $c" }
  val a = anchor.shape()
  val anchorRow = when {
    a.numDimensions() == 1 -> tf.expandDims(anchor, tf.constant(0))
    a.numDimensions() == 2 && (a.size(0) == 1L || a.size(0) == -1L) -> anchor
    else -> throw IllegalArgumentException("anchor must be [D] or [1, D], got shape $a")
  }
  val d = a.size(a.numDimensions() - 1)
  require(d == -1L || c.size(1) == -1L || d == c.size(1)) {
    "anchor and candidates must have the same embedding size D, got anchor $a and candidates $c"
  }
  return call(tf, tf.broadcastTo(anchorRow, tf.shape(candidates)), candidates, labels)
}
