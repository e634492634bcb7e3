package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * CLIP's symmetric cross-entropy (Radford et al. 2021): logits = scale * image . text^T with scale =
 * min(exp(logLogitScale), maxLogitScale), the matching caption on the diagonal; the loss is the
 * mean of the image-to-text and text-to-image cross-entropies. Swapping the two inputs gives the
 * same value.
 *
 * <p>{@code logLogitScale} is the learnable scalar (CLIP initialises it to log(1/0.07)). The clamp at
 * 100 is CLIP's; above it the scale gets no gradient, and the trainer may also clamp the variable
 * after each step. Defaults: L2-normalised features (document 004's encoders, OpenCLIP), max scale
 * 100. NONE gives [B]: (loss_i2t[i] + loss_t2i[i]) / 2.
 */
public final class ClipLoss {
  /** CLIP's initial log logit scale, log(1 / 0.07). */
  public static final float INITIAL_LOG_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  private final boolean normalize;
  private final float maxLogitScale;
  private final Reduction reduction;

  private ClipLoss(boolean normalize, float maxLogitScale, Reduction reduction) {
    this.normalize = normalize;
    this.maxLogitScale = maxLogitScale;
    this.reduction = reduction;
  }

  public static ClipLoss create() {
    return new ClipLoss(true, 100f, Reduction.MEAN);
  }

  /** Normalise both feature batches inside (true) or take them as given. */
  public ClipLoss withNormalize(boolean normalize) {
    return new ClipLoss(normalize, maxLogitScale, reduction);
  }

  /** The clamp on exp(logLogitScale); must be > 0. */
  public ClipLoss withMaxLogitScale(float maxLogitScale) {
    return new ClipLoss(normalize, Checks.positive("maxLogitScale", maxLogitScale), reduction);
  }

  public ClipLoss withReduction(Reduction reduction) {
    return new ClipLoss(normalize, maxLogitScale, Checks.notNull("reduction", reduction));
  }

  public boolean normalize() {
    return normalize;
  }

  public float maxLogitScale() {
    return maxLogitScale;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** imageFeatures, textFeatures [B,D]; logLogitScale a scalar. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures, Operand<TFloat32> logLogitScale) {
    Checks.pair("imageFeatures", imageFeatures, "textFeatures", textFeatures);
    Checks.notNull("logLogitScale", logLogitScale);
    Checks.rank("logLogitScale", logLogitScale, 0, "(a scalar)");
    Operand<TFloat32> img = normalize ? Tensors.l2Normalize(tf, imageFeatures) : imageFeatures;
    Operand<TFloat32> txt = normalize ? Tensors.l2Normalize(tf, textFeatures) : textFeatures;
    Operand<TFloat32> scale = tf.math.minimum(tf.math.exp(logLogitScale), tf.constant(maxLogitScale));
    Operand<TFloat32> logits = tf.math.mul(scale, Tensors.matMulT(tf, img, txt));
    Operand<TFloat32> transposed = tf.linalg.transpose(logits, tf.constant(new int[] {1, 0}));
    var targets = Tensors.diagonalTargets(tf, Tensors.size(tf, logits, 0));
    Operand<TFloat32> perPair = tf.math.mul(
        tf.constant(0.5f),
        tf.math.add(
            Tensors.crossEntropy(tf, logits, targets), Tensors.crossEntropy(tf, transposed, targets)));
    return reduction.reduce(tf, perPair);
  }

  @Override
  public String toString() {
    return "ClipLoss(normalize=" + normalize + ", maxLogitScale=" + maxLogitScale + ", reduction=" + reduction + ")";
  }
}
