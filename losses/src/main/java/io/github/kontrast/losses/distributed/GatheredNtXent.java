package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.ChunkedContrastive;
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
 *
 * <p>With the loss's {@code chunkRows} set, this worker's anchors are taken that many at a time
 * ({@link ChunkedContrastive}), each block building only its [rows, 2B] logits. The anchors are
 * then read from the gathered tensor at this worker's rows, so that the block gradients are
 * taken with respect to the gathered tensor alone: they add up to one [2B, D] gradient, which
 * reaches the embeddings through a single pass of the gather's gradient (one all-reduce per step,
 * as in the full form), not one per block. Needs a static batch size.
 */
public final class GatheredNtXent {
  private final NtXentLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity and reduction are its own). */
  public GatheredNtXent(NtXentLoss loss) {
    Checks.notNull("loss", loss);
    if (loss.reduction() == Reduction.NONE) {
      throw new IllegalArgumentException("loss: the gathered NT-Xent needs reduction MEAN or SUM, got NONE");
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
    // a chunked form counts its blocks now: fail before any op is built
    long rows = loss.chunkRows() == 0 ? -1 : ChunkedContrastive.staticRows(loss.chunkRows(), new ChunkedContrastive.Pass("z1", z1, (t, a, i) -> a));
    long dim = Checks.dim(z1, 1);
    if (rows >= 0 && dim < 0) {
      throw new IllegalArgumentException("z1: chunkRows = " + loss.chunkRows() + " needs a static embedding size, got shape " + Checks.describe(z1.shape()));
    }
    Operand<TFloat32> local = tf.concat(List.of(z1, z2), tf.constant(0));
    Operand<TFloat32> all = gather.gather(tf, local);
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    Operand<TInt32> offset = tf.math.mul(twoB, tf.constant(gather.rank()));
    if (loss.chunkRows() == 0) {
      Operand<TFloat32> perAnchor = perAnchor(tf, local, all, tf.range(tf.constant(0), twoB, tf.constant(1)), b, offset);
      return reduce(tf, tf.reduceSum(perAnchor, tf.constant(0)), twoB, gather);
    }
    // static shapes: the gather's own shape is not inferred, and the blocks are counted now; int32
    // slice bounds, as the C++ gradient of Slice fails on int64 ones
    Operand<TFloat32> candidates = tf.reshape(all, tf.constant(new long[] {2 * rows * gather.size(), dim}));
    Operand<TFloat32> anchors = tf.slice(candidates, tf.constant(new int[] {(int) (2 * rows * gather.rank()), 0}), tf.constant(new int[] {(int) (2 * rows), (int) dim}));
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass("z1", anchors, (t, a, indices) -> perAnchor(t, a, candidates, indices, b, offset));
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, loss.chunkRows(), List.of(candidates), List.of(pass));
    return reduce(tf, sum, tf.constant((int) (2 * rows)), gather);
  }

  /** Per-anchor losses of local anchors {@code anchors} (local rows {@code indices}) against every worker's views. */
  private Operand<TFloat32> perAnchor(Ops tf, Operand<TFloat32> anchors, Operand<TFloat32> all, Operand<TInt32> indices,
      Operand<TInt32> b, Operand<TInt32> offset) {
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    Operand<TInt32> self = tf.math.add(indices, offset);
    Operand<TInt32> partners = tf.math.add(tf.math.floorMod(tf.math.add(indices, b), twoB), offset);
    Operand<TFloat32> logits = tf.math.div(
        loss.distance().asSimilarity(tf, loss.distance().matrix(tf, anchors, all)), tf.constant(loss.temperature()));
    return SoftmaxContrastive.perAnchor(tf, logits,
        SoftmaxContrastive.positivesAt(tf, logits, partners), SoftmaxContrastive.positivesAt(tf, logits, self));
  }

  /** MEAN: the sum over this worker's {@code count} anchors divided by it; SUM: times the number of workers. */
  private Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> sum, Operand<TInt32> count, AllGather gather) {
    if (loss.reduction() == Reduction.MEAN) {
      return tf.math.div(sum, tf.dtypes.cast(count, TFloat32.class));
    }
    return tf.math.mul(sum, tf.constant((float) gather.size()));
  }
}
