package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.ChunkedContrastive;
import io.github.kontrast.losses.InfoNceLoss;
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
 * {@link InfoNceLoss}'s in-batch form in a data-parallel group: this worker's b queries against
 * the positive keys of every worker (gathered by an {@link AllGather}, B = size * b), so each query
 * has the B - 1 negatives of the global batch. The key of local query i sits at column
 * {@code rank * b + i}. Unlike {@link GatheredMoco}'s momentum keys, these keys are trained: the
 * gather's gradient sends every worker's pull on them back to their owner.
 *
 * <p>MEAN returns the mean over this worker's queries, SUM {@code size} times their sum, so that the
 * mean of the workers' values is the one-worker loss of the global batch; NONE is refused. With the
 * loss's {@code chunkRows} set, the queries are taken that many at a time, each block building only
 * its [rows, B] logits, with one pass of the gather's gradient per step (see {@code GatheredRows});
 * needs static b and D. The explicit-negatives form needs no gathering: its negatives come with
 * each query.
 */
public final class GatheredInfoNce {
  private final InfoNceLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity, reduction and row blocks are its own). */
  public GatheredInfoNce(InfoNceLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "InfoNCE loss", loss.reduction());
    this.loss = loss;
  }

  /** The loss this form gathers. */
  public InfoNceLoss loss() {
    return loss;
  }

  /** query [b,D] and positiveKey [b,D]: this worker's queries and their keys, row by row. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> query, Operand<TFloat32> positiveKey, AllGather gather) {
    Checks.notNull("gather", gather);
    Checks.pair("query", query, "positiveKey", positiveKey);
    int chunkRows = loss.chunkRows();
    if (chunkRows == 0) {
      Operand<TFloat32> keys = gather.gather(tf, positiveKey);
      Operand<TInt32> rows = tf.range(tf.constant(0), Tensors.size(tf, query, 0), tf.constant(1));
      Operand<TInt32> offset = tf.math.mul(Tensors.size(tf, query, 0), tf.constant(gather.rank()));
      return GatheredReduction.reduce(tf, loss.reduction(), perQuery(tf, query, keys, tf.math.add(rows, offset)), gather.size());
    }
    // the blocks are counted before the gather: a dynamic shape fails before any op is built
    long b = GatheredRows.staticRows("query", query, chunkRows);
    GatheredRows.Blocks keys = GatheredRows.blocks(tf, "positiveKey", positiveKey, gather.gather(tf, positiveKey), gather.size(), gather.rank(), chunkRows);
    Operand<TInt32> offset = tf.constant((int) (b * gather.rank()));
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass("query", query, (t, q, i) -> perQuery(t, q, keys.all(), t.math.add(i, offset)));
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, chunkRows, List.of(query, keys.all()), List.of(pass));
    return GatheredReduction.reduceSum(tf, loss.reduction(), sum, b, gather.size());
  }

  /** Per-query cross-entropies of {@code queries} against every worker's keys, query i's key at column {@code columns[i]}. */
  private Operand<TFloat32> perQuery(Ops tf, Operand<TFloat32> queries, Operand<TFloat32> keys, Operand<TInt32> columns) {
    Distance d = loss.distance();
    Operand<TFloat32> logits = tf.math.div(d.asSimilarity(tf, d.matrix(tf, queries, keys)), tf.constant(loss.temperature()));
    return SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.positivesAt(tf, logits, columns));
  }
}
