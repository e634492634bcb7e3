package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.miners.HardNegativeMiner;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * InfoNCE (van den Oord et al. 2018): cross-entropy of the positive key against the negatives,
 * logits = q.k / temperature, the positive in column 0.
 *
 * <ul>
 *   <li>{@link #call(Ops, Operand, Operand, Operand)}: explicit negatives [B,K,D] per query
 *       (document 004's info_nce_loss; e.g. from {@link HardNegativeMiner});
 *   <li>{@link #call(Ops, Operand, Operand)}: in-batch negatives, the other rows' positive keys.
 * </ul>
 *
 * <p>Defaults: temperature 0.07 (document 004, MoCo v1/v2); L2-normalised query and keys (MoCo, the
 * info-nce-pytorch package). Document 004's function works on raw vectors: {@code
 * withNormalize(false)}. NONE gives one loss per query [B].
 */
public final class InfoNceLoss {
  private final float temperature;
  private final boolean normalize;
  private final Reduction reduction;

  private InfoNceLoss(float temperature, boolean normalize, Reduction reduction) {
    this.temperature = temperature;
    this.normalize = normalize;
    this.reduction = reduction;
  }

  public static InfoNceLoss create() {
    return new InfoNceLoss(0.07f, true, Reduction.MEAN);
  }

  /** Must be > 0. */
  public InfoNceLoss withTemperature(float temperature) {
    return new InfoNceLoss(Checks.positive("temperature", temperature), normalize, reduction);
  }

  public InfoNceLoss withNormalize(boolean normalize) {
    return new InfoNceLoss(temperature, normalize, reduction);
  }

  public InfoNceLoss withReduction(Reduction reduction) {
    return new InfoNceLoss(temperature, normalize, Checks.notNull("reduction", reduction));
  }

  public float temperature() {
    return temperature;
  }

  public boolean normalize() {
    return normalize;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** query [B,D], positiveKey [B,D], negativeKeys [B,K,D]. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> query, Operand<TFloat32> positiveKey, Operand<TFloat32> negativeKeys) {
    Checks.pair("query", query, "positiveKey", positiveKey);
    Checks.rank("negativeKeys", negativeKeys, 3, "[B,K,D]");
    Checks.sameDim("query", query, 0, "negativeKeys", negativeKeys, 0, "the batch sizes B");
    Checks.sameDim("query", query, 1, "negativeKeys", negativeKeys, 2, "the embedding sizes D");
    if (Checks.dim(negativeKeys, 1) == 0) {
      throw new IllegalArgumentException(
          "argument 'negativeKeys' has no negatives: shape " + Checks.describe(negativeKeys.shape()));
    }
    Operand<TFloat32> q = maybeNormalize(tf, query);
    Operand<TFloat32> pos = Tensors.sumLast(tf, tf.math.mul(q, maybeNormalize(tf, positiveKey)));
    Operand<TFloat32> neg = Tensors.sumLast(
        tf, tf.math.mul(tf.expandDims(q, tf.constant(1)), maybeNormalize(tf, negativeKeys)));
    Operand<TFloat32> logits = tf.math.div(
        tf.concat(java.util.List.of(tf.expandDims(pos, tf.constant(1)), neg), tf.constant(1)),
        tf.constant(temperature));
    Operand<TFloat32> perQuery = Tensors.crossEntropy(
        tf, logits, tf.zerosLike(tf.range(tf.constant(0), Tensors.size(tf, logits, 0), tf.constant(1))));
    return reduction.reduce(tf, perQuery);
  }

  /** In-batch negatives: query [B,D] against all positive keys [B,D]; row i's positive is key i. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> query, Operand<TFloat32> positiveKey) {
    Checks.pair("query", query, "positiveKey", positiveKey);
    Operand<TFloat32> logits = tf.math.div(
        Tensors.matMulT(tf, maybeNormalize(tf, query), maybeNormalize(tf, positiveKey)),
        tf.constant(temperature));
    Operand<TFloat32> perQuery =
        Tensors.crossEntropy(tf, logits, Tensors.diagonalTargets(tf, Tensors.size(tf, logits, 0)));
    return reduction.reduce(tf, perQuery);
  }

  private Operand<TFloat32> maybeNormalize(Ops tf, Operand<TFloat32> x) {
    return normalize ? Tensors.l2Normalize(tf, x) : x;
  }

  @Override
  public String toString() {
    return "InfoNceLoss(temperature=" + temperature + ", normalize=" + normalize + ", reduction=" + reduction + ")";
  }
}
