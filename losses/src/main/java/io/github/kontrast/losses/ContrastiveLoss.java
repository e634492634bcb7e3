package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.LabelChecks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.miners.AllPairsMiner;
import io.github.kontrast.losses.miners.IndexPairs;
import io.github.kontrast.losses.miners.Miner;
import io.github.kontrast.losses.miners.Tuples;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The margin contrastive loss of Hadsell, Chopra and LeCun (2006):
 *
 * <pre>
 *   similar pair:    d^2
 *   dissimilar pair: max(0, margin - d)^2
 * </pre>
 *
 * times 1/2 with {@link #withHalfFactor(boolean) halfFactor} (Hadsell's equation 4, the Keras
 * example), and with plain d and max(0, margin - d) instead of their squares when {@link
 * #withSquaredTerms(boolean) squaredTerms} is off (PyTorch Metric Learning's form).
 *
 * <p>Entry points: {@link #call(Ops, Operand, Operand, Operand)} on labelled pairs x1, x2 with 0/1
 * labels read through the {@link PairConvention}; {@link #callOnDistance} on precomputed distances;
 * and PML's forms on one batch with class labels: {@link #call(Ops, Operand, Operand)} takes every
 * pair the {@link #withMiner(Miner) miner} returns (every pair of the batch by default, both
 * orders), {@link #call(Ops, Operand, Tuples)} the pairs (or triplets) a miner returned.
 *
 * <p>Defaults: margin 1.0 (Hadsell, Keras, TF Addons, PML's neg_margin, documents 001, 003, 004);
 * {@link PairConvention#ONE_MEANS_SIMILAR} (Keras, TF Addons, documents 001 and 004); no half factor
 * (TF Addons, PML, documents 000, 002, 003, 004); squared terms; {@link Distances#euclidean()}
 * (PyTorch's pairwise_distance, finite gradient for identical pairs); {@link AllPairsMiner};
 * {@link Reduction#MEAN}. docs/conventions.md gives the one-liner for each source.
 */
public record ContrastiveLoss(
    float margin,
    PairConvention convention,
    boolean halfFactor,
    boolean squaredTerms,
    Distance distance,
    Miner miner,
    Reduction reduction) {
  public ContrastiveLoss {
    Checks.nonNegative("margin", margin);
    Checks.notNull("convention", convention);
    Checks.notNull("distance", distance);
    if (distance.isSimilarity()) {
      throw new IllegalArgumentException(
          "distance must be a distance (smaller = closer), got the similarity '" + distance.name()
              + "'; use Distances.cosineDistance() instead of cosine()");
    }
    Checks.notNull("miner", miner);
    Checks.notNull("reduction", reduction);
  }

  /** The defaults listed in the class comment. */
  public static ContrastiveLoss create() {
    return new ContrastiveLoss(
        1.0f, PairConvention.ONE_MEANS_SIMILAR, false, true, Distances.euclidean(), AllPairsMiner.create(), Reduction.MEAN);
  }

  /** The distance below which a dissimilar pair is penalised; must be >= 0. */
  public ContrastiveLoss withMargin(float margin) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /** Which 0/1 label value means "similar" (for labelled pairs). */
  public ContrastiveLoss withConvention(PairConvention convention) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /** Hadsell's 1/2 in front of both terms. */
  public ContrastiveLoss withHalfFactor(boolean halfFactor) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /** Squares of d and max(0, m - d) (true, the usual form) or the plain values (PML's form). */
  public ContrastiveLoss withSquaredTerms(boolean squaredTerms) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /** The distance between the two embeddings; must be a distance, not a similarity. */
  public ContrastiveLoss withDistance(Distance distance) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /** How {@link #call(Ops, Operand, Operand)} picks pairs from a labelled batch. */
  public ContrastiveLoss withMiner(Miner miner) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  public ContrastiveLoss withReduction(Reduction reduction) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, miner, reduction);
  }

  /**
   * The loss for embedding pairs x1, x2 [B,D] with labels [B] (one per pair) or a scalar (one for
   * the whole batch), 0/1 values read through the {@link #convention()}.
   */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> x1, Operand<TFloat32> x2, Operand<? extends TNumber> labels) {
    Checks.pair("x1", x1, "x2", x2);
    checkLabels(labels, "x1", x1);
    return callOnDistance(tf, distance.pairwise(tf, x1, x2), labels);
  }

  /**
   * The loss for precomputed distances [B] (Wolfram's ContrastiveLossLayer input) with labels [B] or
   * a scalar.
   */
  public Operand<TFloat32> callOnDistance(
      Ops tf, Operand<TFloat32> distance, Operand<? extends TNumber> labels) {
    Checks.rank("distance", distance, 1, "[B]");
    Checks.nonEmpty("distance", distance);
    checkLabels(labels, "distance", distance);
    Operand<TFloat32> asFloat = Tensors.toFloat(tf, labels);
    LabelChecks.zeroOrOne(tf, "labels", labels, asFloat, convention);
    Operand<TFloat32> y = tf.stopGradient(asFloat);
    Operand<TFloat32> similar = convention.similar(tf, y);
    Operand<TFloat32> dissimilar = tf.math.sub(tf.constant(1f), similar);
    Operand<TFloat32> perPair =
        tf.math.add(tf.math.mul(similar, pull(tf, distance)), tf.math.mul(dissimilar, push(tf, distance)));
    return reduction.reduce(tf, half(tf, perPair));
  }

  /** Embeddings [B,D] with integer class labels [B]: the pairs the miner chooses. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    Checks.labelled("embeddings", embeddings, labels);
    return call(tf, embeddings, miner.mine(tf, embeddings, labels));
  }

  /**
   * Embeddings [B,D] and index tuples into them: the positive pairs are pulled, the negative ones
   * pushed. NONE gives one loss per pair [P + N], the positive pairs first.
   */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> embeddings, Tuples tuples) {
    Checks.matrix("embeddings", embeddings);
    Checks.notNull("tuples", tuples);
    IndexPairs pairs = tuples.pairs(tf);
    Operand<TFloat32> d = distance.matrix(tf, embeddings, embeddings);
    Operand<TFloat32> perPair = tf.concat(
        List.of(
            pull(tf, Tensors.entries(tf, d, pairs.positiveAnchors(), pairs.positives())),
            push(tf, Tensors.entries(tf, d, pairs.negativeAnchors(), pairs.negatives()))),
        tf.constant(0));
    return reduction.reduceOrZero(tf, half(tf, perPair));
  }

  /** What a similar pair at distance d costs: d^2 (or d). */
  private Operand<TFloat32> pull(Ops tf, Operand<TFloat32> d) {
    return squaredTerms ? tf.math.square(d) : d;
  }

  /** What a dissimilar pair at distance d costs: max(0, margin - d)^2 (or unsquared). */
  private Operand<TFloat32> push(Ops tf, Operand<TFloat32> d) {
    Operand<TFloat32> gap = tf.nn.relu(tf.math.sub(tf.constant(margin), d));
    return squaredTerms ? tf.math.square(gap) : gap;
  }

  private Operand<TFloat32> half(Ops tf, Operand<TFloat32> perPair) {
    return halfFactor ? tf.math.mul(tf.constant(0.5f), perPair) : perPair;
  }

  private static void checkLabels(Operand<?> labels, String batchName, Operand<?> batch) {
    Checks.notNull("labels", labels);
    if (labels.shape().isUnknown() || labels.shape().numDimensions() == 0) {
      return;
    }
    Checks.rank("labels", labels, 1, "[B] (or a scalar for the whole batch)");
    Checks.sameDim("labels", labels, 0, batchName, batch, 0, "the batch sizes B");
  }
}
