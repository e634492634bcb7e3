package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Semi-hard negative mining (FaceNet; document 004's semi_hard_mining): for each (anchor,
 * positive), a negative farther than the positive but within the margin, {@code d(a,p) < d(a,n) < d(a,p) +
 * margin}. Document 004 picks one such negative at random; this picks the closest of them, so the
 * graph is deterministic. When there is none it falls back, as document 004 does, to the hardest
 * (closest) negative. The choice is made on stop-gradient distances.
 *
 * <p>Two forms: {@link #mine} on a labelled batch (one triplet per positive pair whose anchor has a
 * negative, as TF Addons' triplet_semihard_loss), and {@link #negatives} against an explicit set of
 * candidates that are all negatives (document 004's function).
 *
 * <p>Defaults: margin 0.3 and squared Euclidean distance, as in document 004.
 */
public record SemiHardNegativeMiner(float margin, Distance distance) implements Miner {
  public SemiHardNegativeMiner {
    Checks.nonNegative("margin", margin);
    Checks.notNull("distance", distance);
  }

  public static SemiHardNegativeMiner create() {
    return new SemiHardNegativeMiner(0.3f, Distances.squaredEuclidean());
  }

  /** The width of the semi-hard band; must be >= 0. */
  public SemiHardNegativeMiner withMargin(float margin) {
    return new SemiHardNegativeMiner(margin, distance);
  }

  /** How closeness is measured (a similarity is negated). */
  public SemiHardNegativeMiner withDistance(Distance distance) {
    return new SemiHardNegativeMiner(margin, distance);
  }

  @Override
  public IndexTriplets mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    LabelMasks masks = LabelMasks.of(tf, embeddings, labels);
    Operand<TFloat32> d = tf.stopGradient(distance.asDistance(tf, distance.matrix(tf, embeddings, embeddings)));
    List<Operand<TInt32>> pairs = Tensors.nonZero(tf, masks.positives(), 2);
    Operand<TInt32> a = pairs.get(0);
    Operand<TInt32> p = pairs.get(1);
    Operand<TFloat32> negatives = tf.gather(masks.negatives(), a, tf.constant(0));
    Operand<TInt32> n = choose(tf, Tensors.entries(tf, d, a, p), tf.gather(d, a, tf.constant(0)), negatives);
    Operand<TInt32> keep = Tensors.nonZero(tf, tf.reduceMax(negatives, tf.constant(1)), 1).get(0);
    return new IndexTriplets(
        tf.gather(a, keep, tf.constant(0)), tf.gather(p, keep, tf.constant(0)), tf.gather(n, keep, tf.constant(0)));
  }

  /** One negative [B,D] per anchor [B,D] and positive [B,D], chosen among candidates [N,D]. */
  public Operand<TFloat32> negatives(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> candidates) {
    return tf.gather(candidates, negativeIndices(tf, anchor, positive, candidates), tf.constant(0));
  }

  /** The index [B] into candidates of each anchor's negative. */
  public Operand<TInt32> negativeIndices(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> candidates) {
    Checks.pair("anchor", anchor, "positive", positive);
    Checks.matrix("candidates", candidates);
    Checks.sameDim("anchor", anchor, 1, "candidates", candidates, 1, "the embedding sizes D");
    Operand<TFloat32> ap = tf.stopGradient(distance.asDistance(tf, distance.pairwise(tf, anchor, positive)));
    Operand<TFloat32> an = tf.stopGradient(distance.asDistance(tf, distance.matrix(tf, anchor, candidates)));
    return choose(tf, ap, an, tf.onesLike(an));
  }

  /**
   * Per row: the closest candidate in the semi-hard band, else the closest candidate. ap [P], an
   * [P,C], negatives [P,C] (0/1: which candidates are negatives).
   */
  private Operand<TInt32> choose(Ops tf, Operand<TFloat32> ap, Operand<TFloat32> an, Operand<TFloat32> negatives) {
    Operand<TFloat32> apCol = tf.expandDims(ap, tf.constant(1));
    Operand<TFloat32> inBand = tf.dtypes.cast(
        tf.math.logicalAnd(tf.math.greater(an, apCol), tf.math.less(an, tf.math.add(apCol, tf.constant(margin)))),
        TFloat32.class);
    Operand<TFloat32> semiHard = tf.math.mul(inBand, negatives);
    Operand<TInt32> closestSemiHard = closest(tf, an, semiHard);
    Operand<TInt32> hardest = closest(tf, an, negatives);
    Operand<TBool> any = tf.math.greater(tf.reduceMax(semiHard, tf.constant(1)), tf.constant(0f));
    return tf.select(any, closestSemiHard, hardest);
  }

  /** Arg-min of each row over the candidates where {@code allowed} is 1 (the others pushed far out). */
  private static Operand<TInt32> closest(Ops tf, Operand<TFloat32> d, Operand<TFloat32> allowed) {
    Operand<TFloat32> masked =
        tf.math.add(d, tf.math.mul(tf.math.sub(tf.constant(1f), allowed), tf.constant(Tensors.LARGE)));
    return tf.math.argMin(masked, tf.constant(1), TInt32.class);
  }
}
