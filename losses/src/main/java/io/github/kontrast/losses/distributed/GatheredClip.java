package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.ChunkedContrastive;
import io.github.kontrast.losses.ClipLoss;
import io.github.kontrast.losses.SoftmaxContrastive;
import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link ClipLoss} in a data-parallel group, as OpenCLIP's {@code gather_features} computes it:
 * this worker's b images against the texts of every worker, and its b texts against the images of
 * every worker (both gathered by an {@link AllGather}), so each pair has the B - 1 negatives of the
 * global batch B = size * b in both directions, as with one worker and batch B.
 *
 * <p>The gathered rows come in rank order, so the caption of this worker's image at local row i
 * sits at column {@code rank * b + i}, and so does the image of its text i. Each row of the
 * image-to-text logits [b, B] is then a row of the one-worker [B, B] matrix, and each row of the
 * text-to-image logits [b, B] is one of its columns: the per-pair losses are exactly the
 * one-worker ones at this worker's rows. The logit scale is {@code min(exp(logLogitScale),
 * maxLogitScale)}, as in {@link ClipLoss}; it is not gathered: every worker holds the same value.
 *
 * <p>MEAN returns the mean over this worker's pairs of (i2t + t2i) / 2, so the mean of the
 * workers' values is {@link ClipLoss}'s MEAN on the global batch (each direction averaged over
 * the B pairs, then the two averaged). Averaging the workers' gradients, with the gather's
 * gradient summed over workers, gives its exact gradient, the logit scale's included (each worker
 * differentiates its own share of the loss, and the average of the shares' gradients is the
 * gradient of their average). SUM returns {@code size} times this worker's sum, so that the same
 * average gives the global sum. NONE is refused: per-pair losses of one worker are not the global
 * batch's.
 *
 * <p>With the loss's {@code chunkRows} set, this worker's images and then its texts are taken that
 * many at a time, each block building only its [rows, B] logits, with one pass of the gather's
 * gradient per gathered tensor and step, as in the full form. Needs static b and D.
 */
public final class GatheredClip {
  private final ClipLoss loss;

  /**
   * The gathered form of {@code loss} (similarity, clamp, reduction and row blocks are its own).
   * Refuses reduction NONE.
   */
  public GatheredClip(ClipLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "CLIP loss", loss.reduction());
    this.loss = loss;
  }

  /** The loss this form gathers. */
  public ClipLoss loss() {
    return loss;
  }

  /**
   * This worker's features beside every worker's, as {@link #gather} returns them.
   *
   * @param imageFeatures this worker's image features [b, D]
   * @param textFeatures this worker's text features [b, D], row i the caption of image i
   * @param allImageFeatures every worker's image features in rank order [B, D]; this worker's own
   *     block is {@code imageFeatures} itself
   * @param allTextFeatures every worker's text features in rank order [B, D]
   * @param matches [b]: the column of local row i's partner in the gathered rows, {@code rank * b + i}
   * @param size the number of workers whose rows were gathered
   * @param rank this worker's index among them
   */
  public record Features(Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures,
      Operand<TFloat32> allImageFeatures, Operand<TFloat32> allTextFeatures, Operand<TInt32> matches, int size, int rank) {
    /** Refuses a missing tensor, a size below 1 or a rank outside the group, naming it. */
    public Features {
      Checks.notNull("imageFeatures", imageFeatures);
      Checks.notNull("textFeatures", textFeatures);
      Checks.notNull("allImageFeatures", allImageFeatures);
      Checks.notNull("allTextFeatures", allTextFeatures);
      Checks.notNull("matches", matches);
      Checks.atLeast("size", size, 1);
      if (rank < 0 || rank >= size) {
        throw new IllegalArgumentException("rank: expected 0.." + (size - 1) + ", got " + rank);
      }
    }
  }

  /**
   * Gathers the image and then the text features of every worker (two gathers, in this order on
   * every worker). Also what a trainer reads to compute retrieval accuracies over the global batch.
   */
  public Features gather(Ops tf, Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures, AllGather gather) {
    Checks.notNull("gather", gather);
    Checks.pair("imageFeatures", imageFeatures, "textFeatures", textFeatures);
    int size = gather.size();
    int rank = gather.rank();
    if (size < 1 || rank < 0 || rank >= size) {
      throw new IllegalArgumentException("gather: expected size >= 1 and rank in 0.." + (size - 1) + ", got size " + size + ", rank " + rank);
    }
    Operand<TFloat32> allImages = gather.gather(tf, imageFeatures);
    Operand<TFloat32> allTexts = gather.gather(tf, textFeatures);
    Operand<TInt32> b = Tensors.size(tf, imageFeatures, 0);
    Operand<TInt32> matches = tf.math.add(tf.range(tf.constant(0), b, tf.constant(1)), tf.math.mul(b, tf.constant(rank)));
    return new Features(imageFeatures, textFeatures, allImages, allTexts, matches, size, rank);
  }

  /**
   * This worker's share of the global batch's CLIP loss (see the class comment).
   *
   * @param imageFeatures this worker's image features [b, D]
   * @param textFeatures this worker's text features [b, D]
   * @param logLogitScale the learnable scalar, the same variable on every worker
   */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> imageFeatures, Operand<TFloat32> textFeatures,
      Operand<TFloat32> logLogitScale, AllGather gather) {
    Checks.notNull("logLogitScale", logLogitScale);
    Checks.rank("logLogitScale", logLogitScale, 0, "(a scalar)");
    return call(tf, gather(tf, imageFeatures, textFeatures, gather), logLogitScale);
  }

  /** {@link #call(Ops, Operand, Operand, Operand, AllGather)} on features already {@link #gather gathered}. */
  public Operand<TFloat32> call(Ops tf, Features features, Operand<TFloat32> logLogitScale) {
    Checks.notNull("features", features);
    Checks.notNull("logLogitScale", logLogitScale);
    Checks.rank("logLogitScale", logLogitScale, 0, "(a scalar)");
    Operand<TFloat32> scale = tf.math.minimum(tf.math.exp(logLogitScale), tf.constant(loss.maxLogitScale()));
    if (loss.chunkRows() > 0) {
      return chunked(tf, features, scale, logLogitScale);
    }
    Operand<TFloat32> imageToText = directed(tf, scale, features.imageFeatures(), features.allTextFeatures(), features.matches());
    Operand<TFloat32> textToImage = directed(tf, scale, features.textFeatures(), features.allImageFeatures(), features.matches());
    Operand<TFloat32> perPair = tf.math.mul(tf.constant(0.5f), tf.math.add(imageToText, textToImage));
    return GatheredReduction.reduce(tf, loss.reduction(), perPair, features.size());
  }

  /**
   * Row blocks: both directions as sweeps of {@code chunkRows} local rows against every worker's
   * rows, each block building only its [rows, B] logits ({@link ChunkedContrastive}). The anchors
   * are read from the gathered tensors at this worker's rows, so every block's gradient is taken
   * with respect to the gathered tensors alone, and each reaches the features through one pass of
   * the gather's gradient per step, as in the full form. Needs static b and D.
   */
  private Operand<TFloat32> chunked(Ops tf, Features features, Operand<TFloat32> scale, Operand<TFloat32> logLogitScale) {
    int chunkRows = loss.chunkRows();
    GatheredRows.Blocks images = GatheredRows.blocks(tf, "imageFeatures", features.imageFeatures(), features.allImageFeatures(), features.size(), features.rank(), chunkRows);
    GatheredRows.Blocks texts = GatheredRows.blocks(tf, "textFeatures", features.textFeatures(), features.allTextFeatures(), features.size(), features.rank(), chunkRows);
    Operand<TFloat32> allImages = images.all();
    Operand<TFloat32> allTexts = texts.all();
    Operand<TInt32> offset = tf.constant((int) (images.rows() * features.rank()));
    ChunkedContrastive.Pass imageToText = new ChunkedContrastive.Pass("imageFeatures", images.own(),
        (t, rows, indices) -> directed(t, scale, rows, allTexts, t.math.add(indices, offset)));
    ChunkedContrastive.Pass textToImage = new ChunkedContrastive.Pass("textFeatures", texts.own(),
        (t, rows, indices) -> directed(t, scale, rows, allImages, t.math.add(indices, offset)));
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, chunkRows, List.of(allImages, allTexts, logLogitScale), List.of(imageToText, textToImage));
    return GatheredReduction.reduceSum(tf, loss.reduction(), tf.math.mul(tf.constant(0.5f), sum), images.rows(), features.size());
  }

  /** Per-row cross-entropies [b] of {@code rows} against every worker's {@code candidates}, the partner of row i at column {@code matches[i]}. */
  private Operand<TFloat32> directed(Ops tf, Operand<TFloat32> scale, Operand<TFloat32> rows, Operand<TFloat32> candidates,
      Operand<TInt32> matches) {
    Distance d = loss.distance();
    Operand<TFloat32> logits = tf.math.mul(scale, d.asSimilarity(tf, d.matrix(tf, rows, candidates)));
    return SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.positivesAt(tf, logits, matches));
  }
}
