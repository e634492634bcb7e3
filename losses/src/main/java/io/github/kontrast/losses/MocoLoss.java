package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MoCo v3's contrastive loss (Chen, Xie and He 2021; document 004): normalised queries q [B,D]
 * against normalised momentum keys k [B,D], logits q k^T / temperature, the matching key on the
 * diagonal. The keys get a stop-gradient (they come from the momentum encoder). {@link
 * #callSymmetric} is document 004's (L(q1, k2) + L(q2, k1)) / 2.
 *
 * <p>Defaults: temperature 0.2 (MoCo v3, document 004); no 2*temperature factor (document 004; the
 * official MoCo v3 code multiplies the loss by 2t: {@code withTwoTemperatureScaling(true)}). NONE
 * gives [B].
 */
public final class MocoLoss {
  private final float temperature;
  private final boolean twoTemperatureScaling;
  private final Reduction reduction;

  private MocoLoss(float temperature, boolean twoTemperatureScaling, Reduction reduction) {
    this.temperature = temperature;
    this.twoTemperatureScaling = twoTemperatureScaling;
    this.reduction = reduction;
  }

  public static MocoLoss create() {
    return new MocoLoss(0.2f, false, Reduction.MEAN);
  }

  /** Must be > 0. */
  public MocoLoss withTemperature(float temperature) {
    return new MocoLoss(Checks.positive("temperature", temperature), twoTemperatureScaling, reduction);
  }

  /** Multiply by 2 * temperature, as the official MoCo v3 code does. */
  public MocoLoss withTwoTemperatureScaling(boolean scaling) {
    return new MocoLoss(temperature, scaling, reduction);
  }

  public MocoLoss withReduction(Reduction reduction) {
    return new MocoLoss(temperature, twoTemperatureScaling, Checks.notNull("reduction", reduction));
  }

  public float temperature() {
    return temperature;
  }

  public boolean twoTemperatureScaling() {
    return twoTemperatureScaling;
  }

  public Reduction reduction() {
    return reduction;
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
        Tensors.matMulT(tf, Tensors.l2Normalize(tf, q), Tensors.l2Normalize(tf, tf.stopGradient(k))),
        tf.constant(temperature));
    Operand<TFloat32> ce =
        Tensors.crossEntropy(tf, logits, Tensors.diagonalTargets(tf, Tensors.size(tf, logits, 0)));
    return twoTemperatureScaling ? tf.math.mul(ce, tf.constant(2f * temperature)) : ce;
  }

  @Override
  public String toString() {
    return "MocoLoss(temperature=" + temperature + ", twoTemperatureScaling=" + twoTemperatureScaling
        + ", reduction=" + reduction + ")";
  }
}
