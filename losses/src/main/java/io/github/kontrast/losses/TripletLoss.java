package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.miners.BatchAllMiner;
import io.github.kontrast.losses.miners.IndexTriplets;
import io.github.kontrast.losses.miners.Miner;
import io.github.kontrast.losses.miners.Tuples;
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
 * <p>Three entry points, as PyTorch Metric Learning's losses:
 *
 * <ul>
 *   <li>{@link #call(Ops, Operand, Operand, Operand)}: explicit triplets [B,D] (e.g. negatives from
 *       {@code HardNegativeMiner.negatives} or {@code SemiHardNegativeMiner.negatives});
 *   <li>{@link #call(Ops, Operand, Operand)}: one batch of embeddings with class labels; the
 *       {@link #withMiner(Miner) miner} chooses the triplets (every valid one by default);
 *   <li>{@link #call(Ops, Operand, Tuples)}: the triplets (or pairs, combined into triplets) a miner
 *       returned.
 * </ul>
 *
 * <p>Defaults follow PyTorch's nn.TripletMarginLoss: margin 1.0, Euclidean distance (not squared),
 * mean. Document 004 is {@code withMargin(0.3f).withSquaredDistance(true)}. The default miner is
 * {@link BatchAllMiner} (PML uses all triplets when no miner is given): MEAN then averages over the
 * valid triplets (0 when there are none) and NONE gives one loss per triplet.
 */
public record TripletLoss(float margin, Distance distance, boolean softMargin, Miner miner, Reduction reduction) {
  public TripletLoss {
    Checks.nonNegative("margin", margin);
    Checks.notNull("distance", distance);
    Checks.notNull("miner", miner);
    Checks.notNull("reduction", reduction);
  }

  public static TripletLoss create() {
    return new TripletLoss(1.0f, Distances.euclidean(), false, BatchAllMiner.create(), Reduction.MEAN);
  }

  /** Must be >= 0. */
  public TripletLoss withMargin(float margin) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  /** Squared Euclidean (FaceNet, document 004) or Euclidean distance. */
  public TripletLoss withSquaredDistance(boolean squared) {
    return withDistance(squared ? Distances.squaredEuclidean() : Distances.euclidean());
  }

  /** Whether the distance is the squared Euclidean one. */
  public boolean squaredDistance() {
    return distance == Distances.squaredEuclidean();
  }

  public TripletLoss withDistance(Distance distance) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  /** softplus(d(a,p) - d(a,n)) instead of the hinge with a margin. */
  public TripletLoss withSoftMargin(boolean softMargin) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  /** How {@link #call(Ops, Operand, Operand)} picks triplets. */
  public TripletLoss withMiner(Miner miner) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  public TripletLoss withReduction(Reduction reduction) {
    return new TripletLoss(margin, distance, softMargin, miner, reduction);
  }

  /** Explicit triplets: anchor, positive, negative [B,D]. NONE gives [B]. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> anchor, Operand<TFloat32> positive, Operand<TFloat32> negative) {
    Checks.pair("anchor", anchor, "positive", positive);
    Checks.pair("anchor", anchor, "negative", negative);
    Operand<TFloat32> ap = distance.asDistance(tf, distance.pairwise(tf, anchor, positive));
    Operand<TFloat32> an = distance.asDistance(tf, distance.pairwise(tf, anchor, negative));
    return reduction.reduce(tf, violation(tf, ap, an));
  }

  /** Embeddings [B,D] with integer class labels [B]: the triplets the miner chooses. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    Checks.labelled("embeddings", embeddings, labels);
    return call(tf, embeddings, miner.mine(tf, embeddings, labels));
  }

  /** Embeddings [B,D] and index tuples into them; NONE gives one loss per triplet [T]. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> embeddings, Tuples tuples) {
    Checks.matrix("embeddings", embeddings);
    Checks.notNull("tuples", tuples);
    IndexTriplets t = tuples.triplets(tf);
    Operand<TFloat32> d = distance.asDistance(tf, distance.matrix(tf, embeddings, embeddings));
    Operand<TFloat32> ap = Tensors.entries(tf, d, t.anchors(), t.positives());
    Operand<TFloat32> an = Tensors.entries(tf, d, t.anchors(), t.negatives());
    return reduction.reduceOrZero(tf, violation(tf, ap, an));
  }

  private Operand<TFloat32> violation(Ops tf, Operand<TFloat32> ap, Operand<TFloat32> an) {
    Operand<TFloat32> diff = tf.math.sub(ap, an);
    return softMargin
        ? tf.math.softplus(diff)
        : tf.nn.relu(tf.math.add(diff, tf.constant(margin)));
  }
}
