package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.miners.BatchAllMiner;
import io.github.kontrast.losses.miners.HardNegativeMiner;
import io.github.kontrast.losses.miners.MinedTriplets;
import io.github.kontrast.losses.miners.SemiHardNegativeMiner;
import io.github.kontrast.losses.miners.TripletMiner;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The triplet loss max(0, d(a,p) - d(a,n) + margin), or with a soft margin log(1 + exp(d(a,p) -
 * d(a,n))) (Hermans et al. 2017; the margin is then unused). For a similarity s the violation is
 * s(a,n) - s(a,p) + margin.
 *
 * <p>Two entry points: {@link #call} on explicit triplets [B,D] (e.g. negatives from a {@link
 * HardNegativeMiner} or {@link SemiHardNegativeMiner}), and {@link #callOnLabels} on one batch of
 * embeddings with class labels, whose triplets the {@link #withMiner(TripletMiner) miner} chooses.
 *
 * <p>Defaults follow PyTorch's nn.TripletMarginLoss: margin 1.0, Euclidean distance (not squared),
 * mean. Document 004 is {@code withMargin(0.3f).withSquaredDistance(true)}. The default miner is
 * {@link BatchAllMiner} (PyTorch Metric Learning uses all triplets when no miner is given); MEAN
 * then averages over the valid triplets.
 */
public final class TripletLoss {
  private final float margin;
  private final Distance distance;
  private final boolean softMargin;
  private final TripletMiner miner;
  private final Reduction reduction;

  private TripletLoss(float margin, Distance distance, boolean softMargin, TripletMiner miner, Reduction reduction) {
    this.margin = margin;
    this.distance = distance;
    this.softMargin = softMargin;
    this.miner = miner;
    this.reduction = reduction;
  }

  public static TripletLoss create() {
    return new TripletLoss(1.0f, Distances.euclidean(), false, BatchAllMiner.create(), Reduction.MEAN);
  }

  /** Must be >= 0. */
  public TripletLoss withMargin(float margin) {
    return new TripletLoss(Checks.nonNegative("margin", margin), distance, softMargin, miner, reduction);
  }

  /** Squared Euclidean (FaceNet, document 004) or Euclidean distance. */
  public TripletLoss withSquaredDistance(boolean squared) {
    return withDistance(squared ? Distances.squaredEuclidean() : Distances.euclidean());
  }

  public TripletLoss withDistance(Distance distance) {
    return new TripletLoss(margin, Checks.notNull("distance", distance), softMargin, miner, reduction);
  }

  /** softplus(d(a,p) - d(a,n)) instead of the hinge with a margin. */
  public TripletLoss withSoftMargin(boolean softMargin) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  /** How {@link #callOnLabels} picks triplets. */
  public TripletLoss withMiner(TripletMiner miner) {
    return new TripletLoss(margin, distance, softMargin, Checks.notNull("miner", miner), reduction);
  }

  public TripletLoss withReduction(Reduction reduction) {
    return new TripletLoss(margin, distance, softMargin, miner, Checks.notNull("reduction", reduction));
  }

  public float margin() {
    return margin;
  }

  public Distance distance() {
    return distance;
  }

  public boolean squaredDistance() {
    return distance == Distances.squaredEuclidean();
  }

  public boolean softMargin() {
    return softMargin;
  }

  public TripletMiner miner() {
    return miner;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** Explicit triplets: anchor, positive, negative [B,D]. NONE gives [B]. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> negative) {
    Checks.pair("anchor", anchor, "positive", positive);
    Checks.pair("anchor", anchor, "negative", negative);
    Operand<TFloat32> ap = asDistance(tf, distance.pairwise(tf, anchor, positive));
    Operand<TFloat32> an = asDistance(tf, distance.pairwise(tf, anchor, negative));
    return reduction.reduce(tf, violation(tf, ap, an));
  }

  /**
   * Triplets mined from one batch: embeddings [B,D], integer class labels [B]. MEAN averages over
   * the mined triplets that exist (0 when there are none); NONE gives the masked per-triplet losses
   * in the miner's layout ([B] for batch-hard, [B,B,B] for batch-all).
   */
  public Operand<TFloat32> callOnLabels(
      Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    Checks.matrix("embeddings", embeddings);
    Checks.notNull("labels", labels);
    Checks.rank("labels", labels, 1, "[B]");
    Checks.sameDim("labels", labels, 0, "embeddings", embeddings, 0, "the batch sizes B");
    Operand<TFloat32> d = asDistance(tf, distance.matrix(tf, embeddings, embeddings));
    MinedTriplets t = miner.mine(tf, d, tf.stopGradient(labels));
    return reduction.reduce(tf, violation(tf, t.anchorPositive(), t.anchorNegative()), t.valid());
  }

  private Operand<TFloat32> asDistance(Ops tf, Operand<TFloat32> d) {
    return distance.isSimilarity() ? tf.math.neg(d) : d;
  }

  private Operand<TFloat32> violation(Ops tf, Operand<TFloat32> ap, Operand<TFloat32> an) {
    Operand<TFloat32> diff = tf.math.sub(ap, an);
    return softMargin
        ? tf.math.softplus(diff)
        : tf.nn.relu(tf.math.add(diff, tf.constant(margin)));
  }

  @Override
  public String toString() {
    return "TripletLoss(margin=" + margin + ", distance=" + distance.name() + ", softMargin=" + softMargin
        + ", miner=" + miner.name() + ", reduction=" + reduction + ")";
  }
}
