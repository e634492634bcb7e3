package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Hard-negative mining (document 004's hard_negative_mining): for each anchor, the k candidates
 * closest to it. The choice is made on stop-gradient scores; the gathered rows keep their gradient.
 *
 * <p>Two forms: {@link #mine} on a labelled batch (every positive pair, and as negative pairs each
 * anchor's k closest rows of another label, fewer when the batch has fewer), and {@link #negatives}
 * against explicit candidates [N,D], whose result [B,k,D] feeds {@code InfoNceLoss}'s negativeKeys.
 *
 * <p>Defaults: k = 10 and the dot product, as in document 004.
 */
public record HardNegativeMiner(int k, Distance distance) implements Miner {
  public HardNegativeMiner {
    Checks.atLeast("k", k, 1);
    Checks.notNull("distance", distance);
  }

  public static HardNegativeMiner create() {
    return new HardNegativeMiner(10, Distances.dot());
  }

  /** How many negatives per anchor; >= 1. */
  public HardNegativeMiner withK(int k) {
    return new HardNegativeMiner(k, distance);
  }

  /** How closeness is measured (a similarity: largest first; a distance: smallest first). */
  public HardNegativeMiner withDistance(Distance distance) {
    return new HardNegativeMiner(k, distance);
  }

  @Override
  public IndexPairs mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    LabelMasks masks = LabelMasks.of(tf, embeddings, labels);
    Operand<TFloat32> closeness =
        tf.stopGradient(distance.asSimilarity(tf, distance.matrix(tf, embeddings, embeddings)));
    Operand<TFloat32> big = tf.constant(Tensors.LARGE);
    Operand<TFloat32> masked =
        tf.math.sub(closeness, tf.math.mul(tf.math.sub(tf.constant(1f), masks.negatives()), big));
    Operand<TInt32> count = tf.math.minimum(tf.constant(k), Tensors.size(tf, embeddings, 0));
    TopK<TFloat32, TInt32> top = tf.nn.topK(masked, count, TInt32.class);
    // slots beyond an anchor's number of negatives hold rows of its own class: drop them
    Operand<TFloat32> real = tf.dtypes.cast(
        tf.math.greater(top.values(), tf.math.mul(big, tf.constant(-0.5f))), TFloat32.class);
    List<Operand<TInt32>> slots = Tensors.nonZero(tf, real, 2);
    List<Operand<TInt32>> pos = Tensors.nonZero(tf, masks.positives(), 2);
    return new IndexPairs(
        pos.get(0), pos.get(1), slots.get(0), Tensors.entries(tf, top.indices(), slots.get(0), slots.get(1)));
  }

  /** The k hardest candidates [N,D] for each anchor [B,D]: [B,k,D]. */
  public Operand<TFloat32> negatives(Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> candidates) {
    return tf.gather(candidates, negativeIndices(tf, anchor, candidates), tf.constant(0));
  }

  /** The indices [B,k] of the k hardest candidates for each anchor, hardest first. */
  public Operand<TInt32> negativeIndices(Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> candidates) {
    Checks.matrix("anchor", anchor);
    Checks.matrix("candidates", candidates);
    Checks.sameDim("anchor", anchor, 1, "candidates", candidates, 1, "the embedding sizes D");
    long n = Checks.dim(candidates, 0);
    if (n >= 0 && n < k) {
      throw new IllegalArgumentException(
          "k = " + k + " hard negatives need at least k candidates, but 'candidates' has shape "
              + Checks.describe(candidates.shape()));
    }
    Operand<TFloat32> closeness = tf.stopGradient(distance.asSimilarity(tf, distance.matrix(tf, anchor, candidates)));
    return tf.nn.topK(closeness, tf.constant(k), TInt32.class).indices();
  }
}
