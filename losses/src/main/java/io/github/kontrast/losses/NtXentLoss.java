package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * NT-Xent, SimCLR's loss (Chen et al. 2020): the 2B normalised views z = [z1; z2], logits z z^T /
 * temperature with the self-similarity masked out, and for anchor i the other view of the same
 * example as the positive. MEAN is over the 2B anchors, as in document 004; NONE gives [2B] (the z1
 * anchors first).
 *
 * <p>Default temperature 0.5 (document 004, SimCLR's CIFAR setting).
 */
public final class NtXentLoss {
  private final float temperature;
  private final Reduction reduction;

  private NtXentLoss(float temperature, Reduction reduction) {
    this.temperature = temperature;
    this.reduction = reduction;
  }

  public static NtXentLoss create() {
    return new NtXentLoss(0.5f, Reduction.MEAN);
  }

  /** Must be > 0. */
  public NtXentLoss withTemperature(float temperature) {
    return new NtXentLoss(Checks.positive("temperature", temperature), reduction);
  }

  public NtXentLoss withReduction(Reduction reduction) {
    return new NtXentLoss(temperature, Checks.notNull("reduction", reduction));
  }

  public float temperature() {
    return temperature;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** z1, z2 [B,D]: two views of the same B examples, row by row. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    Checks.pair("z1", z1, "z2", z2);
    Operand<TFloat32> z = Tensors.l2Normalize(
        tf, tf.concat(List.of(z1, z2), tf.constant(0)));
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    Operand<TFloat32> logits = tf.math.sub(
        tf.math.div(Tensors.matMulT(tf, z, z), tf.constant(temperature)),
        tf.math.mul(Tensors.eye(tf, twoB), tf.constant(Tensors.LARGE)));
    // anchor i < B pairs with i + B, anchor i >= B with i - B
    Operand<TInt32> targets = tf.concat(
        List.of(tf.range(b, twoB, tf.constant(1)), tf.range(tf.constant(0), b, tf.constant(1))),
        tf.constant(0));
    return reduction.reduce(tf, Tensors.crossEntropy(tf, logits, targets));
  }

  @Override
  public String toString() {
    return "NtXentLoss(temperature=" + temperature + ", reduction=" + reduction + ")";
  }
}
