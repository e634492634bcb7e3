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
 * the workers' values is the one-worker loss of the global batch. NONE is refused. With the loss's
 * {@code chunkRows} set, this worker's anchors are taken that many at a time, each block building
 * only its [rows, N] logits (see {@code GatheredRows}); needs a static batch size.
 */
public final class GatheredSupCon {
  private final SupConLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity and reduction are its own). */
  public GatheredSupCon(SupConLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "SupCon loss", loss.reduction());
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
    Operand<TFloat32> localLabels = tf.stopGradient(Tensors.toFloat(tf, labels));
    Operand<TFloat32> allLabels = tf.stopGradient(gather.gather(tf, localLabels));
    Distance distance = loss.distance();
    Operand<TInt32> offset = tf.math.mul(Tensors.size(tf, features, 0), tf.constant(gather.rank()));
    return GatheredRows.loss(tf, "features", features, gather, loss.chunkRows(), loss.reduction(), (t, anchors, indices, all) -> {
      Operand<TFloat32> logits = t.math.div(distance.asSimilarity(t, distance.matrix(t, anchors, all)), t.constant(loss.temperature()));
      Operand<TFloat32> self = SoftmaxContrastive.positivesAt(t, logits, t.math.add(indices, offset));
      Operand<TFloat32> same = Tensors.sameLabel(t, t.gather(localLabels, indices, t.constant(0)), allLabels);
      return SoftmaxContrastive.perAnchor(t, logits, t.math.mul(same, t.math.sub(t.constant(1f), self)), self);
    });
  }
}
