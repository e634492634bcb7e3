package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
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
 *   -1/|P(i)| * sum_{p in P(i)} log( exp(s_ip/t) / sum_{a != i} exp(s_ia/t) )
 * </pre>
 *
 * with s the similarity; this is {@link SoftmaxContrastive} with the self-similarity ignored. An
 * anchor with no positive contributes 0, not NaN (the official code and document 004 also keep it
 * in the mean). MEAN is over all B anchors; NONE gives [B].
 *
 * <p>Defaults: temperature 0.07 (Khosla et al., document 004); cosine similarity (normalised
 * features).
 */
public record SupConLoss(float temperature, Distance distance, Reduction reduction) {
  public SupConLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
  }

  public static SupConLoss create() {
    return new SupConLoss(0.07f, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public SupConLoss withTemperature(float temperature) {
    return new SupConLoss(temperature, distance, reduction);
  }

  /** The similarity between features (a distance is negated). */
  public SupConLoss withDistance(Distance distance) {
    return new SupConLoss(temperature, distance, reduction);
  }

  public SupConLoss withReduction(Reduction reduction) {
    return new SupConLoss(temperature, distance, reduction);
  }

  /** features [B,D], integer class labels [B] (TInt32 or TInt64). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> features, Operand<? extends TNumber> labels) {
    Checks.matrix("features", features);
    Checks.notNull("labels", labels);
    Checks.rank("labels", labels, 1, "[B]");
    Checks.sameDim("labels", labels, 0, "features", features, 0, "the batch sizes B");
    Operand<TFloat32> logits = tf.math.div(
        distance.asSimilarity(tf, distance.matrix(tf, features, features)), tf.constant(temperature));
    Operand<TFloat32> self = SoftmaxContrastive.diagonal(tf, logits);
    Operand<TFloat32> positives =
        tf.math.mul(Tensors.sameLabel(tf, tf.stopGradient(labels)), tf.math.sub(tf.constant(1f), self));
    return reduction.reduce(tf, SoftmaxContrastive.perAnchor(tf, logits, positives, self));
  }
}
