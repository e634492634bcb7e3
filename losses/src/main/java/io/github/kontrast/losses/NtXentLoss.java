package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * NT-Xent, SimCLR's loss (Chen et al. 2020): the 2B views z = [z1; z2], logits = similarity(z, z) /
 * temperature with each anchor's similarity to itself ignored, and for anchor i the other view of
 * the same example as the positive; computed by {@link SoftmaxContrastive}. MEAN is over the 2B
 * anchors, as in document 004; NONE gives [2B] (the z1 anchors first).
 *
 * <p>Defaults: temperature 0.5 (document 004, SimCLR's CIFAR setting); cosine similarity (SimCLR
 * normalises the projections).
 */
public record NtXentLoss(float temperature, Distance distance, Reduction reduction) {
  public NtXentLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
  }

  public static NtXentLoss create() {
    return new NtXentLoss(0.5f, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public NtXentLoss withTemperature(float temperature) {
    return new NtXentLoss(temperature, distance, reduction);
  }

  /** The similarity between views (a distance is negated). */
  public NtXentLoss withDistance(Distance distance) {
    return new NtXentLoss(temperature, distance, reduction);
  }

  public NtXentLoss withReduction(Reduction reduction) {
    return new NtXentLoss(temperature, distance, reduction);
  }

  /** z1, z2 [B,D]: two views of the same B examples, row by row. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    Checks.pair("z1", z1, "z2", z2);
    Operand<TFloat32> z = tf.concat(List.of(z1, z2), tf.constant(0));
    Operand<TFloat32> logits =
        tf.math.div(distance.asSimilarity(tf, distance.matrix(tf, z, z)), tf.constant(temperature));
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    // anchor i < B pairs with i + B, anchor i >= B with i - B
    Operand<TInt32> partners = tf.concat(
        List.of(tf.range(b, twoB, tf.constant(1)), tf.range(tf.constant(0), b, tf.constant(1))), tf.constant(0));
    Operand<TFloat32> perAnchor = SoftmaxContrastive.perAnchor(
        tf, logits, SoftmaxContrastive.positivesAt(tf, logits, partners), SoftmaxContrastive.diagonal(tf, logits));
    return reduction.reduce(tf, perAnchor);
  }
}
