package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
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
public record ClipLoss(Distance distance, float maxLogitScale, Reduction reduction, int chunkRows) {
  /** CLIP's initial log logit scale, log(1 / 0.07). */
  public static final float INITIAL_LOG_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  public ClipLoss {
    Checks.notNull("distance", distance);
    Checks.positive("maxLogitScale", maxLogitScale);
    Checks.notNull("reduction", reduction);
    ChunkedContrastive.checkOption(chunkRows, reduction);
  }

  /** The full-matrix form. */
  public ClipLoss(Distance distance, float maxLogitScale, Reduction reduction) {
    this(distance, maxLogitScale, reduction, 0);
  }

  public static ClipLoss create() {
    return new ClipLoss(Distances.cosine(), 100f, Reduction.MEAN);
  }

  /** The similarity of image and text features (a distance is negated). */
  public ClipLoss withDistance(Distance distance) {
    return new ClipLoss(distance, maxLogitScale, reduction, chunkRows);
  }

  /** The clamp on exp(logLogitScale); must be > 0. */
  public ClipLoss withMaxLogitScale(float maxLogitScale) {
    return new ClipLoss(distance, maxLogitScale, reduction, chunkRows);
  }

  public ClipLoss withReduction(Reduction reduction) {
    return new ClipLoss(distance, maxLogitScale, reduction, chunkRows);
  }

  /**
   * Computes the [B,B] logits {@code chunkRows} rows at a time, forward and backward, never whole
   * ({@link ChunkedContrastive}): image blocks against all texts, in two sweeps (the first for the
   * text-to-image normaliser), so the similarities are computed twice. 0 (the default) builds the
   * full matrix. Needs a static batch size and reduction MEAN or SUM.
   */
  public ClipLoss withChunkRows(int chunkRows) {
    return new ClipLoss(distance, maxLogitScale, reduction, chunkRows);
  }

  /** imageFeatures, textFeatures [B,D]; logLogitScale a scalar. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures, Operand<TFloat32> logLogitScale) {
    Checks.pair("imageFeatures", imageFeatures, "textFeatures", textFeatures);
    Checks.notNull("logLogitScale", logLogitScale);
    Checks.rank("logLogitScale", logLogitScale, 0, "(a scalar)");
    Operand<TFloat32> scale = tf.math.minimum(tf.math.exp(logLogitScale), tf.constant(maxLogitScale));
    if (chunkRows > 0) {
      return chunked(tf, imageFeatures, textFeatures, logLogitScale, scale);
    }
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

  /**
   * The chunked form in image row blocks only. Per pair, loss = (i2t + t2i) / 2 with t2i_j = lse_j -
   * l_jj, lse_j the log-sum-exp of column j. A first sweep computes lse (no gradient); the second
   * gives each block its image-to-text losses plus e - stopGradient(e), e = sum_j exp(l_ij - lse_j):
   * value 0, gradient the column softmax, i.e. the gradient of the blocks' share of sum_j lse_j.
   * The matched similarities l_jj enter directly (a [B] vector). So the similarities are computed
   * twice (four matrix products in all where the full form has three), not once per direction and
   * pass.
   */
  private Operand<TFloat32> chunked(Ops tf, Operand<TFloat32> images, Operand<TFloat32> texts, Operand<TFloat32> logLogitScale,
      Operand<TFloat32> scale) {
    ChunkedContrastive.Logits toTexts = (t, rows) -> t.math.mul(scale, distance.asSimilarity(t, distance.matrix(t, rows, texts)));
    Operand<TFloat32> lse = ChunkedContrastive.columnLogSumExp(tf, chunkRows, "imageFeatures", images, toTexts);
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass("imageFeatures", images, (t, rows, indices) -> {
      Operand<TFloat32> logits = toTexts.of(t, rows);
      Operand<TFloat32> imageToText = SoftmaxContrastive.perAnchor(t, logits, SoftmaxContrastive.positivesAt(t, logits, indices));
      Operand<TFloat32> e = t.reduceSum(t.math.exp(t.math.sub(logits, lse)), t.constant(1));
      return t.math.add(imageToText, t.math.sub(e, t.stopGradient(e)));
    });
    Operand<TFloat32> blocks = ChunkedContrastive.sum(tf, chunkRows, List.of(images, texts, logLogitScale), List.of(pass));
    Operand<TFloat32> matched = tf.math.mul(scale, distance.asSimilarity(tf, distance.pairwise(tf, images, texts)));
    Operand<TFloat32> textToImage = tf.math.sub(tf.reduceSum(lse, tf.constant(0)), tf.reduceSum(matched, tf.constant(0)));
    Operand<TFloat32> sum = tf.math.mul(tf.constant(0.5f), tf.math.add(blocks, textToImage));
    return ChunkedContrastive.reduce(tf, reduction, sum, ChunkedContrastive.staticRows(chunkRows, pass));
  }
}
