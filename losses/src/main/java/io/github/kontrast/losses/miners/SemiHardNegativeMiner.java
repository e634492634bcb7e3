package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Semi-hard negative mining (FaceNet; document 004's semi_hard_mining): for each (anchor,
 * positive), a negative farther than the positive but within the margin, d(a,p) < d(a,n) < d(a,p) +
 * margin. Document 004 picks one such negative at random; this picks the closest of them, so the
 * graph is deterministic. When an anchor has none, it falls back, as document 004 does, to the
 * hardest (closest) negative. The choice is made on stop-gradient distances.
 *
 * <p>Defaults: margin 0.3 and squared Euclidean distance, as in document 004.
 */
public final class SemiHardNegativeMiner {
  private final float margin;
  private final Distance distance;

  private SemiHardNegativeMiner(float margin, Distance distance) {
    this.margin = margin;
    this.distance = distance;
  }

  public static SemiHardNegativeMiner create() {
    return new SemiHardNegativeMiner(0.3f, Distances.squaredEuclidean());
  }

  public SemiHardNegativeMiner withMargin(float margin) {
    return new SemiHardNegativeMiner(Checks.nonNegative("margin", margin), distance);
  }

  public SemiHardNegativeMiner withDistance(Distance distance) {
    return new SemiHardNegativeMiner(margin, Checks.notNull("distance", distance));
  }

  public float margin() {
    return margin;
  }

  public Distance distance() {
    return distance;
  }

  /** One negative [B,D] per anchor [B,D] and positive [B,D], chosen among candidates [N,D]. */
  public Operand<TFloat32> mine(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> candidates) {
    return tf.gather(candidates, indices(tf, anchor, positive, candidates), tf.constant(0));
  }

  /** The index [B] into candidates of each anchor's negative. */
  public Operand<TInt32> indices(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> candidates) {
    Checks.pair("anchor", anchor, "positive", positive);
    Checks.matrix("candidates", candidates);
    Checks.sameDim("anchor", anchor, 1, "candidates", candidates, 1, "the embedding sizes D");
    Operand<TFloat32> ap = tf.stopGradient(signed(tf, distance.pairwise(tf, anchor, positive)));
    Operand<TFloat32> an = tf.stopGradient(signed(tf, distance.matrix(tf, anchor, candidates)));
    Operand<TFloat32> apCol = tf.expandDims(ap, tf.constant(1));
    Operand<TFloat32> semiHard = tf.dtypes.cast(
        tf.math.logicalAnd(
            tf.math.greater(an, apCol),
            tf.math.less(an, tf.math.add(apCol, tf.constant(margin)))),
        TFloat32.class);
    Operand<TFloat32> big = tf.constant(Tensors.LARGE);
    // closest semi-hard candidate: non-candidates pushed out of the way by a large offset
    Operand<TFloat32> masked =
        tf.math.add(an, tf.math.mul(tf.math.sub(tf.constant(1f), semiHard), big));
    Operand<TInt32> closestSemiHard = tf.math.argMin(masked, tf.constant(1), TInt32.class);
    Operand<TInt32> hardest = tf.math.argMin(an, tf.constant(1), TInt32.class);
    Operand<org.tensorflow.types.TBool> any =
        tf.math.greater(tf.reduceMax(semiHard, tf.constant(1)), tf.constant(0f));
    return tf.select(any, closestSemiHard, hardest);
  }

  private Operand<TFloat32> signed(Ops tf, Operand<TFloat32> d) {
    return distance.isSimilarity() ? tf.math.neg(d) : d;
  }

  @Override
  public String toString() {
    return "SemiHardNegativeMiner(margin=" + margin + ", distance=" + distance.name() + ")";
  }
}
