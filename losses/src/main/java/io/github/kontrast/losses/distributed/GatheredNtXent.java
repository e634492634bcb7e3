package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.NtXentLoss;
import io.github.kontrast.losses.SoftmaxContrastive;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link NtXentLoss} in a data-parallel group: this worker's 2b views are the anchors, and the 2b
 * views of every worker (gathered by an {@link AllGather}) are the candidates, so each anchor has
 * the 2B - 2 negatives of the global batch B = size * b, as with one worker and batch B.
 *
 * <p>The gathered rows are [z1; z2] of worker 0, then of worker 1, and so on. The anchor at local
 * row i of this worker sits at column {@code rank * 2b + i}; its positive is the other view of the
 * same example, {@code b} rows further on (modulo 2b) inside this worker's block. The loss of one
 * anchor is therefore the same softmax over the same 2B - 1 entries as with one worker; only the
 * column order differs, which the softmax does not see.
 *
 * <p>MEAN returns the mean over this worker's anchors: the mean of the workers' values is the
 * loss of the global batch, and averaging the workers' gradients (each with the gather's gradient
 * summed over workers) gives its exact gradient. SUM returns {@code size} times this worker's sum,
 * so that the same average gives the global sum. NONE is refused: per-anchor losses of one worker
 * are not the global batch's.
 */
public final class GatheredNtXent {
  private final NtXentLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity and reduction are its own). */
  public GatheredNtXent(NtXentLoss loss) {
    Checks.notNull("loss", loss);
    if (loss.reduction() == Reduction.NONE) {
      throw new IllegalArgumentException("loss: the gathered NT-Xent needs reduction MEAN or SUM, got NONE");
    }
    if (loss.chunkRows() != 0) {
      throw new IllegalArgumentException("loss: the gathered NT-Xent computes the full [2b, 2B] matrix; expected chunkRows 0, got " + loss.chunkRows());
    }
    this.loss = loss;
  }

  /** The loss this form gathers. */
  public NtXentLoss loss() {
    return loss;
  }

  /** z1, z2 [b,D]: this worker's two views of its b examples, row by row. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, AllGather gather) {
    Checks.notNull("gather", gather);
    Checks.pair("z1", z1, "z2", z2);
    Operand<TFloat32> local = tf.concat(List.of(z1, z2), tf.constant(0));
    Operand<TFloat32> all = gather.gather(tf, local);
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    Operand<TInt32> offset = tf.math.mul(twoB, tf.constant(gather.rank()));
    Operand<TInt32> rows = tf.range(tf.constant(0), twoB, tf.constant(1));
    Operand<TInt32> self = tf.math.add(rows, offset);
    Operand<TInt32> partners = tf.math.add(tf.math.floorMod(tf.math.add(rows, b), twoB), offset);
    Operand<TFloat32> logits = tf.math.div(
        loss.distance().asSimilarity(tf, loss.distance().matrix(tf, local, all)), tf.constant(loss.temperature()));
    Operand<TFloat32> perAnchor = SoftmaxContrastive.perAnchor(tf, logits,
        SoftmaxContrastive.positivesAt(tf, logits, partners), SoftmaxContrastive.positivesAt(tf, logits, self));
    if (loss.reduction() == Reduction.MEAN) {
      return tf.math.mean(perAnchor, tf.constant(0));
    }
    return tf.math.mul(tf.reduceSum(perAnchor, tf.constant(0)), tf.constant((float) gather.size()));
  }
}
