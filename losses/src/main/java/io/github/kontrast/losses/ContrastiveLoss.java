package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.LabelChecks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The margin contrastive loss of Hadsell, Chopra and LeCun (2006) for labelled pairs:
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
 * <p>Defaults: margin 1.0 (Hadsell, Keras, TF Addons, PML's neg_margin, documents 001, 003, 004);
 * {@link PairConvention#ONE_MEANS_SIMILAR} (Keras, TF Addons, documents 001 and 004); no half factor
 * (TF Addons, PML, documents 000, 002, 003, 004); squared terms; {@link Distances#euclidean()}
 * (PyTorch's pairwise_distance, finite gradient for identical pairs); {@link Reduction#MEAN}.
 * docs/conventions.md gives the one-liner for each source.
 */
public final class ContrastiveLoss {
  private final float margin;
  private final PairConvention convention;
  private final boolean halfFactor;
  private final boolean squaredTerms;
  private final Distance distance;
  private final Reduction reduction;

  private ContrastiveLoss(
      float margin,
      PairConvention convention,
      boolean halfFactor,
      boolean squaredTerms,
      Distance distance,
      Reduction reduction) {
    this.margin = margin;
    this.convention = convention;
    this.halfFactor = halfFactor;
    this.squaredTerms = squaredTerms;
    this.distance = distance;
    this.reduction = reduction;
  }

  /** The defaults listed in the class comment. */
  public static ContrastiveLoss create() {
    return new ContrastiveLoss(
        1.0f, PairConvention.ONE_MEANS_SIMILAR, false, true, Distances.euclidean(), Reduction.MEAN);
  }

  /** The distance below which a dissimilar pair is penalised; must be >= 0. */
  public ContrastiveLoss withMargin(float margin) {
    return new ContrastiveLoss(
        Checks.nonNegative("margin", margin), convention, halfFactor, squaredTerms, distance, reduction);
  }

  /** Which label value means "similar". */
  public ContrastiveLoss withConvention(PairConvention convention) {
    return new ContrastiveLoss(
        margin, Checks.notNull("convention", convention), halfFactor, squaredTerms, distance, reduction);
  }

  /** Hadsell's 1/2 in front of both terms. */
  public ContrastiveLoss withHalfFactor(boolean halfFactor) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, reduction);
  }

  /** Squares of d and max(0, m - d) (true, the usual form) or the plain values (PML's form). */
  public ContrastiveLoss withSquaredTerms(boolean squaredTerms) {
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, reduction);
  }

  /** The distance between the two embeddings; must be a distance, not a similarity. */
  public ContrastiveLoss withDistance(Distance distance) {
    Checks.notNull("distance", distance);
    if (distance.isSimilarity()) {
      throw new IllegalArgumentException(
          "distance must be a distance (smaller = closer), got the similarity '" + distance.name()
              + "'; use Distances.cosineDistance() instead of cosine()");
    }
    return new ContrastiveLoss(margin, convention, halfFactor, squaredTerms, distance, reduction);
  }

  public ContrastiveLoss withReduction(Reduction reduction) {
    return new ContrastiveLoss(
        margin, convention, halfFactor, squaredTerms, distance, Checks.notNull("reduction", reduction));
  }

  public float margin() {
    return margin;
  }

  public PairConvention convention() {
    return convention;
  }

  public boolean halfFactor() {
    return halfFactor;
  }

  public boolean squaredTerms() {
    return squaredTerms;
  }

  public Distance distance() {
    return distance;
  }

  public Reduction reduction() {
    return reduction;
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
    Operand<TFloat32> gap = tf.nn.relu(tf.math.sub(tf.constant(margin), distance));
    Operand<TFloat32> pull = squaredTerms ? tf.math.square(distance) : distance;
    Operand<TFloat32> push = squaredTerms ? tf.math.square(gap) : gap;
    Operand<TFloat32> perPair =
        tf.math.add(tf.math.mul(similar, pull), tf.math.mul(dissimilar, push));
    if (halfFactor) {
      perPair = tf.math.mul(tf.constant(0.5f), perPair);
    }
    return reduction.reduce(tf, perPair);
  }

  private static void checkLabels(Operand<?> labels, String batchName, Operand<?> batch) {
    Checks.notNull("labels", labels);
    if (labels.shape().isUnknown() || labels.shape().numDimensions() == 0) {
      return;
    }
    Checks.rank("labels", labels, 1, "[B] (or a scalar for the whole batch)");
    Checks.sameDim("labels", labels, 0, batchName, batch, 0, "the batch sizes B");
  }

  @Override
  public String toString() {
    return "ContrastiveLoss(margin=" + margin + ", convention=" + convention + ", halfFactor="
        + halfFactor + ", squaredTerms=" + squaredTerms + ", distance=" + distance.name()
        + ", reduction=" + reduction + ")";
  }
}
