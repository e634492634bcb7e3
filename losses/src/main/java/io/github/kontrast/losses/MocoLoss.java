package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.reducers.Reduction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MoCo v3's contrastive loss (Chen, Xie and He 2021; document 004): queries q [B,D] against momentum
 * keys k [B,D], logits = similarity(q, k) / temperature, the matching key on the diagonal
 * ({@link SoftmaxContrastive}). The keys get a stop-gradient (they come from the momentum encoder).
 * {@link #callSymmetric} is document 004's (L(q1, k2) + L(q2, k1)) / 2.
 *
 * <p>Defaults: temperature 0.2 (MoCo v3, document 004); cosine similarity (normalised q and k); no
 * 2*temperature factor (document 004; the official MoCo v3 code multiplies the loss by 2t: {@code
 * withTwoTemperatureScaling(true)}). NONE gives [B].
 */
public record MocoLoss(float temperature, boolean twoTemperatureScaling, Distance distance, Reduction reduction) {
  public MocoLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
  }

  public static MocoLoss create() {
    return new MocoLoss(0.2f, false, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public MocoLoss withTemperature(float temperature) {
    return new MocoLoss(temperature, twoTemperatureScaling, distance, reduction);
  }

  /** Multiply by 2 * temperature, as the official MoCo v3 code does. */
  public MocoLoss withTwoTemperatureScaling(boolean scaling) {
    return new MocoLoss(temperature, scaling, distance, reduction);
  }

  /** The similarity of queries and keys (a distance is negated). */
  public MocoLoss withDistance(Distance distance) {
    return new MocoLoss(temperature, twoTemperatureScaling, distance, reduction);
  }

  public MocoLoss withReduction(Reduction reduction) {
    return new MocoLoss(temperature, twoTemperatureScaling, distance, reduction);
  }

  /** q, k [B,D]. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k) {
    Checks.pair("q", q, "k", k);
    return reduction.reduce(tf, perQuery(tf, q, k));
  }

  /** (L(q1, k2) + L(q2, k1)) / 2 for two views' queries and keys, all [B,D]. */
  public Operand<TFloat32> callSymmetric(
      Ops tf, Operand<TFloat32> q1, Operand<TFloat32> q2, Operand<TFloat32> k1, Operand<TFloat32> k2) {
    Checks.pair("q1", q1, "k2", k2);
    Checks.pair("q2", q2, "k1", k1);
    Checks.sameShape("q1", q1, "q2", q2);
    Operand<TFloat32> both =
        tf.math.mul(tf.constant(0.5f), tf.math.add(perQuery(tf, q1, k2), perQuery(tf, q2, k1)));
    return reduction.reduce(tf, both);
  }

  private Operand<TFloat32> perQuery(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k) {
    Operand<TFloat32> logits = tf.math.div(
        distance.asSimilarity(tf, distance.matrix(tf, q, tf.stopGradient(k))), tf.constant(temperature));
    Operand<TFloat32> ce = SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.diagonal(tf, logits));
    return twoTemperatureScaling ? tf.math.mul(ce, tf.constant(2f * temperature)) : ce;
  }
}
