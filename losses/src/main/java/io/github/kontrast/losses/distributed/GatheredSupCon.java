package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.SoftmaxContrastive;
import io.github.kontrast.losses.SupConLoss;
import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * {@link SupConLoss} in a data-parallel group: this worker's n feature rows are the anchors, and
 * the rows and labels of every worker (gathered by an {@link AllGather}, N = size * n) are the
 * candidates. The positives of an anchor are every gathered row with its label except itself (its
 * own column is {@code rank * n + i}), so the number of positives it averages over is counted in
 * the global batch, as {@link SupConLoss} counts it with one worker and batch N; the column order
 * differs, which the softmax does not see.
 *
 * <p>The features' gather keeps this worker's rows and sends the gradient of the other rows back
 * to their owners (see {@link AllGather}). The labels carry no gradient: they are gathered as
 * floats behind a stop-gradient and compared as floats, exact for class ids of magnitude up to
 * 2^24, the same bound as {@link SupConLoss}'s own comparison.
 *
 * <p>MEAN returns the mean over this worker's anchors, SUM {@code size} times their sum: the mean of
 * the workers' values is the one-worker loss of the global batch. NONE is refused, and so is a
 * chunked loss (this form builds the full [n, N] matrix).
 */
public final class GatheredSupCon {
  private final SupConLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity and reduction are its own). */
  public GatheredSupCon(SupConLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "SupCon loss", loss.reduction());
    if (loss.chunkRows() != 0) {
      throw new IllegalArgumentException(
          "loss: the gathered SupCon loss computes the full [n, N] matrix; expected chunkRows 0, got " + loss.chunkRows());
    }
    this.loss = loss;
  }

  /** The loss this form gathers. */
  public SupConLoss loss() {
    return loss;
  }

  /**
   * features [n,D]: this worker's rows (for two views, [z1; z2] of its examples); labels [n]: their
   * integer class ids (TInt32 or TInt64), one per row.
   */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> features, Operand<? extends TNumber> labels, AllGather gather) {
    Checks.notNull("gather", gather);
    Checks.labelled("features", features, labels);
    Operand<TFloat32> allFeatures = gather.gather(tf, features);
    Operand<TFloat32> localLabels = tf.stopGradient(Tensors.toFloat(tf, labels));
    Operand<TFloat32> allLabels = tf.stopGradient(gather.gather(tf, localLabels));
    Distance distance = loss.distance();
    Operand<TFloat32> logits = tf.math.div(
        distance.asSimilarity(tf, distance.matrix(tf, features, allFeatures)), tf.constant(loss.temperature()));
    Operand<TInt32> n = Tensors.size(tf, features, 0);
    Operand<TInt32> columns = tf.math.add(tf.range(tf.constant(0), n, tf.constant(1)), tf.math.mul(n, tf.constant(gather.rank())));
    Operand<TFloat32> self = SoftmaxContrastive.positivesAt(tf, logits, columns);
    Operand<TFloat32> same = Tensors.sameLabel(tf, localLabels, allLabels);
    Operand<TFloat32> perAnchor = SoftmaxContrastive.perAnchor(tf, logits, tf.math.mul(same, tf.math.sub(tf.constant(1f), self)), self);
    return GatheredReduction.reduce(tf, loss.reduction(), perAnchor, gather.size());
  }
}
