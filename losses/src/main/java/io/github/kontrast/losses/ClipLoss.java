package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.reducers.Reduction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * CLIP's symmetric cross-entropy (Radford et al. 2021): logits = scale * similarity(image, text)
 * with scale = min(exp(logLogitScale), maxLogitScale), the matching caption on the diagonal; the
 * loss is the mean of the image-to-text and text-to-image cross-entropies, both through {@link
 * SoftmaxContrastive}. Swapping the two inputs gives the same value.
 *
 * <p>{@code logLogitScale} is the learnable scalar (CLIP initialises it to log(1/0.07)). The clamp at
 * 100 is CLIP's; above it the scale gets no gradient, and the trainer may also clamp the variable
 * after each step. Defaults: cosine similarity (L2-normalised features: document 004's encoders,
 * OpenCLIP); {@code Distances.dot()} takes features that are already normalised, as raw logits;
 * max scale 100. NONE gives [B]: (loss_i2t[i] + loss_t2i[i]) / 2.
 */
public record ClipLoss(Distance distance, float maxLogitScale, Reduction reduction) {
  /** CLIP's initial log logit scale, log(1 / 0.07). */
  public static final float INITIAL_LOG_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  public ClipLoss {
    Checks.notNull("distance", distance);
    Checks.positive("maxLogitScale", maxLogitScale);
    Checks.notNull("reduction", reduction);
  }

  public static ClipLoss create() {
    return new ClipLoss(Distances.cosine(), 100f, Reduction.MEAN);
  }

  /** The similarity of image and text features (a distance is negated). */
  public ClipLoss withDistance(Distance distance) {
    return new ClipLoss(distance, maxLogitScale, reduction);
  }

  /** The clamp on exp(logLogitScale); must be > 0. */
  public ClipLoss withMaxLogitScale(float maxLogitScale) {
    return new ClipLoss(distance, maxLogitScale, reduction);
  }

  public ClipLoss withReduction(Reduction reduction) {
    return new ClipLoss(distance, maxLogitScale, reduction);
  }

  /** imageFeatures, textFeatures [B,D]; logLogitScale a scalar. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures, Operand<TFloat32> logLogitScale) {
    Checks.pair("imageFeatures", imageFeatures, "textFeatures", textFeatures);
    Checks.notNull("logLogitScale", logLogitScale);
    Checks.rank("logLogitScale", logLogitScale, 0, "(a scalar)");
    Operand<TFloat32> scale = tf.math.minimum(tf.math.exp(logLogitScale), tf.constant(maxLogitScale));
    Operand<TFloat32> logits =
        tf.math.mul(scale, distance.asSimilarity(tf, distance.matrix(tf, imageFeatures, textFeatures)));
    Operand<TFloat32> transposed = tf.linalg.transpose(logits, tf.constant(new int[] {1, 0}));
    Operand<TFloat32> matches = SoftmaxContrastive.diagonal(tf, logits);
    Operand<TFloat32> perPair = tf.math.mul(
        tf.constant(0.5f),
        tf.math.add(
            SoftmaxContrastive.perAnchor(tf, logits, matches), SoftmaxContrastive.perAnchor(tf, transposed, matches)));
    return reduction.reduce(tf, perPair);
  }
}
