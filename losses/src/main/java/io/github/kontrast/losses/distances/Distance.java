package io.github.kontrast.losses.distances;

import io.github.kontrast.losses.internal.Checks;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A distance or a similarity between embeddings, as PyTorch Metric Learning's distances: every loss
 * and miner takes one. {@link #isSimilarity()} says which way it points; {@link #asDistance} and
 * {@link #asSimilarity} turn its values the way a loss needs them (a similarity is negated to serve
 * as a distance, and the other way round). Implementations are in {@link Distances}.
 */
public interface Distance {
  /** Row-wise: a [B,D], b [B,D] -> [B]. */
  Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);

  /** All pairs: a [N,D], b [M,D] -> [N,M]. */
  Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);

  /** True when larger means closer (cosine, dot product). */
  boolean isSimilarity();

  /** A short name for printing, e.g. "euclidean". */
  String name();

  /** Values of this measure as "smaller = closer". */
  default Operand<TFloat32> asDistance(Ops tf, Operand<TFloat32> values) {
    return isSimilarity() ? tf.math.neg(values) : values;
  }

  /** Values of this measure as "larger = closer": a distance d becomes -d. */
  default Operand<TFloat32> asSimilarity(Ops tf, Operand<TFloat32> values) {
    return isSimilarity() ? values : tf.math.neg(values);
  }

  /**
   * Each row against its own group: a [B,D], b [B,K,D] -> [B,K], entry (i,k) between a_i and
   * b_ik (e.g. a query and its own negatives). Computed by {@link #pairwise} on the B*K flattened
   * rows, so every measure has it.
   */
  default Operand<TFloat32> grouped(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    Checks.rank("a", a, 2, "[B,D]");
    Checks.rank("b", b, 3, "[B,K,D]");
    Checks.sameDim("a", a, 0, "b", b, 0, "the batch sizes B");
    Checks.sameDim("a", a, 1, "b", b, 2, "the embedding sizes D");
    Operand<TInt32> shape = tf.shape(b);
    Operand<TInt32> groups = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {2}));
    Operand<TInt32> rowShape = tf.concat(
        java.util.List.of(tf.constant(new int[] {-1}), tf.slice(shape, tf.constant(new int[] {2}), tf.constant(new int[] {1}))),
        tf.constant(0));
    Operand<TInt32> tiles = tf.concat(
        java.util.List.of(tf.constant(new int[] {1}), tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {1})),
            tf.constant(new int[] {1})),
        tf.constant(0));
    Operand<TFloat32> repeated = tf.reshape(tf.tile(tf.expandDims(a, tf.constant(1)), tiles), rowShape);
    return tf.reshape(pairwise(tf, repeated, tf.reshape(b, rowShape)), groups);
  }
}
