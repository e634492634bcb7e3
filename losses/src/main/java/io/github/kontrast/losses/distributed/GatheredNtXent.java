package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.NtXentLoss;
import io.github.kontrast.losses.SoftmaxContrastive;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
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
 *
 * <p>With the loss's {@code chunkRows} set, this worker's anchors are taken that many at a time,
 * each block building only its [rows, 2B] logits, with one pass of the gather's gradient per
 * step as in the full form (see {@code GatheredRows}). Needs a static batch size.
 */
public final class GatheredNtXent {
  private final NtXentLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity, reduction and row blocks are its own). */
  public GatheredNtXent(NtXentLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "NT-Xent", loss.reduction());
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
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    Operand<TInt32> offset = tf.math.mul(twoB, tf.constant(gather.rank()));
    return GatheredRows.loss(tf, "z1", local, gather, loss.chunkRows(), loss.reduction(), (t, anchors, indices, all) -> {
      // local anchor i pairs with i + b (modulo 2b) in this worker's block of the gathered views
      Operand<TInt32> self = t.math.add(indices, offset);
      Operand<TInt32> partners = t.math.add(t.math.floorMod(t.math.add(indices, b), twoB), offset);
      Operand<TFloat32> logits = t.math.div(
          loss.distance().asSimilarity(t, loss.distance().matrix(t, anchors, all)), t.constant(loss.temperature()));
      return SoftmaxContrastive.perAnchor(t, logits,
          SoftmaxContrastive.positivesAt(t, logits, partners), SoftmaxContrastive.positivesAt(t, logits, self));
    });
  }
}
