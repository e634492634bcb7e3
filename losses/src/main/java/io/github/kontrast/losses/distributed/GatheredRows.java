package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.ChunkedContrastive;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The sweep shared by the gathered softmax losses whose anchors and candidates are the same rows
 * (NT-Xent's views, SupCon's features): this worker's n rows are the anchors, every worker's rows
 * (gathered, N = size * n) the candidates, and the per-anchor loss is the loss's own.
 *
 * <p>Full form: anchors are the local rows themselves, against the gathered [N, D]. Row blocks
 * ({@code chunkRows} > 0, {@link ChunkedContrastive}): the anchors are read from the gathered
 * tensor at this worker's rows, so that every block's gradient is taken with respect to the
 * gathered tensor alone; the blocks' gradients add up to one [N, D] gradient, which reaches the
 * embeddings through a single pass of the gather's gradient (one all-reduce per step, as in the
 * full form), not one per block. Row blocks need static n and D.
 */
final class GatheredRows {
  private GatheredRows() {}

  /** Per-anchor losses [rows] of {@code anchors} [rows,D] at local rows {@code indices}, against {@code candidates} [N,D]. */
  @FunctionalInterface
  interface Rows {
    Operand<TFloat32> perAnchor(Ops tf, Operand<TFloat32> anchors, Operand<TInt32> indices, Operand<TFloat32> candidates);
  }

  /**
   * This worker's rows {@code local} [n,D] beside the gathered ones, with static shapes for row
   * blocks: {@code all} [size * n, D] (the gather's own shape is not inferred), {@code own} this
   * worker's block of it [n, D], read from the gathered tensor so that a block's gradient with
   * respect to it stays with respect to {@code all}.
   */
  record Blocks(Operand<TFloat32> all, Operand<TFloat32> own, long rows) {}

  /**
   * The {@link Blocks} of {@code gathered} (the gather of {@code local}, argument {@code name}, over
   * {@code size} workers, this one {@code rank});
   * fails, naming the argument, unless n and D are static (row blocks are counted now).
   */
  static Blocks blocks(Ops tf, String name, Operand<TFloat32> local, Operand<TFloat32> gathered, int size, int rank, int chunkRows) {
    long n = staticRows(name, local, chunkRows);
    long d = Checks.dim(local, 1);
    Operand<TFloat32> all = tf.reshape(gathered, tf.constant(new long[] {n * size, d}));
    // int32 slice bounds, as the C++ gradient of Slice fails on int64 ones
    Operand<TFloat32> own = tf.slice(all, tf.constant(new int[] {(int) (n * rank), 0}), tf.constant(new int[] {(int) n, (int) d}));
    return new Blocks(all, own, n);
  }

  /**
   * The loss of this worker's rows {@code local} [n,D] (argument {@code name}, for messages), reduced
   * as {@link GatheredReduction} does: the full matrix when {@code chunkRows} is 0, else row blocks.
   */
  static Operand<TFloat32> loss(Ops tf, String name, Operand<TFloat32> local, AllGather gather, int chunkRows,
      Reduction reduction, Rows rows) {
    if (chunkRows == 0) {
      Operand<TInt32> all = tf.range(tf.constant(0), Tensors.size(tf, local, 0), tf.constant(1));
      return GatheredReduction.reduce(tf, reduction, rows.perAnchor(tf, local, all, gather.gather(tf, local)), gather.size());
    }
    // the blocks are counted before the gather: a dynamic shape fails before any op is built
    staticRows(name, local, chunkRows);
    Blocks b = blocks(tf, name, local, gather.gather(tf, local), gather.size(), gather.rank(), chunkRows);
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass(name, b.own(), (t, a, i) -> rows.perAnchor(t, a, i, b.all()));
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, chunkRows, List.of(b.all()), List.of(pass));
    return GatheredReduction.reduceSum(tf, reduction, sum, b.rows(), gather.size());
  }

  /** The static n of {@code local} [n,D] for row blocks; fails, naming the argument, unless n and D are static. */
  static long staticRows(String name, Operand<TFloat32> local, int chunkRows) {
    long n = ChunkedContrastive.staticRows(chunkRows, new ChunkedContrastive.Pass(name, local, (t, a, i) -> a));
    if (Checks.dim(local, 1) < 0) {
      throw new IllegalArgumentException(name + ": chunkRows = " + chunkRows + " needs a static embedding size, got shape "
          + Checks.describe(local.shape()));
    }
    return n;
  }
}
