package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Hard-negative mining (document 004's hard_negative_mining): for each anchor, the k candidates
 * closest to it. The result [B,k,D] feeds {@link InfoNceLoss}'s negativeKeys directly. The choice is
 * made on stop-gradient scores; the gathered rows keep their gradient.
 *
 * <p>Defaults: k = 10 and the dot product, as in document 004.
 */
public final class HardNegativeMiner {
  private final int k;
  private final Distance distance;

  private HardNegativeMiner(int k, Distance distance) {
    this.k = k;
    this.distance = distance;
  }

  public static HardNegativeMiner create() {
    return new HardNegativeMiner(10, Distances.dot());
  }

  /** How many negatives per anchor; >= 1. */
  public HardNegativeMiner withK(int k) {
    return new HardNegativeMiner(Checks.atLeast("k", k, 1), distance);
  }

  /** How closeness is measured (a similarity: largest first; a distance: smallest first). */
  public HardNegativeMiner withDistance(Distance distance) {
    return new HardNegativeMiner(k, Checks.notNull("distance", distance));
  }

  public int k() {
    return k;
  }

  public Distance distance() {
    return distance;
  }

  /** The k hardest candidates [N,D] for each anchor [B,D]: [B,k,D]. */
  public Operand<TFloat32> mine(Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> candidates) {
    return tf.gather(candidates, indices(tf, anchor, candidates), tf.constant(0));
  }

  /** The indices [B,k] of the k hardest candidates for each anchor. */
  public Operand<TInt32> indices(Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> candidates) {
    Checks.matrix("anchor", anchor);
    Checks.matrix("candidates", candidates);
    Checks.sameDim("anchor", anchor, 1, "candidates", candidates, 1, "the embedding sizes D");
    long n = Checks.dim(candidates, 0);
    if (n >= 0 && n < k) {
      throw new IllegalArgumentException(
          "k = " + k + " hard negatives need at least k candidates, but 'candidates' has shape "
              + Checks.describe(candidates.shape()));
    }
    Operand<TFloat32> scores = tf.stopGradient(distance.matrix(tf, anchor, candidates));
    Operand<TFloat32> closeness = distance.isSimilarity() ? scores : tf.math.neg(scores);
    TopK<TFloat32, TInt32> top = tf.nn.topK(closeness, tf.constant(k), TInt32.class);
    return top.indices();
  }

  @Override
  public String toString() {
    return "HardNegativeMiner(k=" + k + ", distance=" + distance.name() + ")";
  }
}
