package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Supervised contrastive loss (Khosla et al. 2020, L_out): for anchor i with positives P(i) (same
 * label, not i),
 *
 * <pre>
 *   -1/|P(i)| * sum_{p in P(i)} log( exp(z_i.z_p/t) / sum_{a != i} exp(z_i.z_a/t) )
 * </pre>
 *
 * on L2-normalised features. An anchor with no positive contributes 0, not NaN (the official code
 * and document 004 also keep it in the mean). MEAN is over all B anchors; NONE gives [B]. The log
 * softmax is computed with the self-similarity masked out, so temperatures like 0.01 stay finite.
 *
 * <p>Default temperature 0.07 (Khosla et al., document 004).
 */
public final class SupConLoss {
  private final float temperature;
  private final Reduction reduction;

  private SupConLoss(float temperature, Reduction reduction) {
    this.temperature = temperature;
    this.reduction = reduction;
  }

  public static SupConLoss create() {
    return new SupConLoss(0.07f, Reduction.MEAN);
  }

  /** Must be > 0. */
  public SupConLoss withTemperature(float temperature) {
    return new SupConLoss(Checks.positive("temperature", temperature), reduction);
  }

  public SupConLoss withReduction(Reduction reduction) {
    return new SupConLoss(temperature, Checks.notNull("reduction", reduction));
  }

  public float temperature() {
    return temperature;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** features [B,D], integer class labels [B] (TInt32 or TInt64). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> features, Operand<? extends TNumber> labels) {
    Checks.matrix("features", features);
    Checks.notNull("labels", labels);
    Checks.rank("labels", labels, 1, "[B]");
    Checks.sameDim("labels", labels, 0, "features", features, 0, "the batch sizes B");
    Operand<TFloat32> z = Tensors.l2Normalize(tf, features);
    Operand<TFloat32> eye = Tensors.eye(tf, Tensors.size(tf, features, 0));
    Operand<TFloat32> logits = tf.math.sub(
        tf.math.div(Tensors.matMulT(tf, z, z), tf.constant(temperature)),
        tf.math.mul(eye, tf.constant(Tensors.LARGE)));
    Operand<TFloat32> logProb = tf.nn.logSoftmax(logits);
    Operand<TFloat32> positives =
        tf.math.mul(Tensors.sameLabel(tf, tf.stopGradient(labels)), tf.math.sub(tf.constant(1f), eye));
    Operand<TFloat32> count = tf.reduceSum(positives, tf.constant(1));
    Operand<TFloat32> perAnchor = tf.math.neg(tf.math.div(
        tf.reduceSum(tf.math.mul(positives, logProb), tf.constant(1)),
        tf.math.maximum(count, tf.constant(1f))));
    return reduction.reduce(tf, perAnchor);
  }

  @Override
  public String toString() {
    return "SupConLoss(temperature=" + temperature + ", reduction=" + reduction + ")";
  }
}
