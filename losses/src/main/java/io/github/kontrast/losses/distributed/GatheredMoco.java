package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.MocoLoss;
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
 * {@link MocoLoss} in a data-parallel group, as MoCo v3's pseudo-code computes it: this worker's b
 * queries against the momentum keys of every worker (gathered by an {@link AllGather}, B = size * b
 * of them), so each query has the B - 1 negatives of the global batch, as with one worker and
 * batch B. The positive of local query i is the key of the same example, at column {@code rank * b
 * + i} of the gathered keys.
 *
 * <p>The keys come from the momentum encoder and carry no gradient: they are gathered behind a
 * stop-gradient, so the gather needs none (the queries, which do, are never gathered). With MoCo
 * v2's queue, its K keys are further negatives after the gathered ones, [b, B + K] logits; the
 * queue should receive {@link Keys#both} (every worker's keys, the rows one worker with the global
 * batch would enqueue), so every worker holds the same queue.
 *
 * <p>Temperature, similarity and the 2 * temperature factor are the {@link MocoLoss}'s. MEAN
 * returns the mean over this worker's queries, SUM {@code size} times their sum: the mean of the
 * workers' values is the one-worker loss of the global batch, and averaging their gradients gives
 * its gradient. NONE is refused.
 */
public final class GatheredMoco {
  private final MocoLoss loss;

  /** The gathered form of {@code loss} (temperature, similarity, scaling and reduction are its own). */
  public GatheredMoco(MocoLoss loss) {
    Checks.notNull("loss", loss);
    GatheredReduction.check("loss", "MoCo loss", loss.reduction());
    this.loss = loss;
  }

  /** The loss this form gathers. */
  public MocoLoss loss() {
    return loss;
  }

  /**
   * The momentum keys of both views of every worker, without gradient.
   *
   * @param k1 [B,D]: every worker's first-view keys, in rank order
   * @param k2 [B,D]: every worker's second-view keys, in rank order
   */
  public record Keys(Operand<TFloat32> k1, Operand<TFloat32> k2) {
    /** [k1; k2] [2B,D]: what one worker with the global batch enqueues, in the same order. */
    public Operand<TFloat32> both(Ops tf) {
      return tf.concat(List.of(k1, k2), tf.constant(0));
    }
  }

  /**
   * Gathers this worker's keys k1, k2 [b,D] of both views in one collective (behind a
   * stop-gradient), and splits the result by view.
   */
  public static Keys gatherKeys(Ops tf, Operand<TFloat32> k1, Operand<TFloat32> k2, AllGather gather) {
    Checks.notNull("gather", gather);
    Checks.pair("k1", k1, "k2", k2);
    Operand<TInt32> b = Tensors.size(tf, k1, 0);
    Operand<TInt32> d = Tensors.size(tf, k1, 1);
    // rows [k1; k2] of worker 0, then of worker 1, ...: [size, 2, b, D] -> [2, size, b, D]
    Operand<TFloat32> all = tf.stopGradient(
        gather.gather(tf, tf.stopGradient(tf.concat(List.of(k1, k2), tf.constant(0)))));
    Operand<TFloat32> byView = tf.linalg.transpose(
        tf.reshape(all, tf.stack(List.of(tf.constant(gather.size()), tf.constant(2), b, d))),
        tf.constant(new int[] {1, 0, 2, 3}));
    Operand<TInt32> rows = tf.math.mul(b, tf.constant(gather.size()));
    Operand<TFloat32> views = tf.reshape(byView, tf.stack(List.of(tf.constant(2), rows, d)));
    return new Keys(view(tf, views, 0), view(tf, views, 1));
  }

  private static Operand<TFloat32> view(Ops tf, Operand<TFloat32> views, int i) {
    return tf.gather(views, tf.constant(i), tf.constant(0));
  }

  /** q [b,D]: this worker's queries; k [b,D]: its keys, the positive of each query. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k, AllGather gather) {
    Checks.pair("q", q, "k", k);
    Checks.notNull("gather", gather);
    Operand<TFloat32> keys = tf.stopGradient(gather.gather(tf, tf.stopGradient(k)));
    return GatheredReduction.reduce(tf, loss.reduction(), perQuery(tf, q, keys, null, gather.rank()), gather.size());
  }

  /**
   * (L(q1, k2) + L(q2, k1)) / 2 over the global batch's keys; q1, q2, k1, k2 [b,D] are this
   * worker's.
   */
  public Operand<TFloat32> callSymmetric(
      Ops tf, Operand<TFloat32> q1, Operand<TFloat32> q2, Operand<TFloat32> k1, Operand<TFloat32> k2, AllGather gather) {
    Checks.pair("q1", q1, "k2", k2);
    Checks.pair("q2", q2, "k1", k1);
    return callSymmetric(tf, q1, q2, gatherKeys(tf, k1, k2, gather), gather, null);
  }

  /**
   * The symmetric loss with keys already gathered by {@link #gatherKeys} and, unless null, a queue
   * [K,D] of further negatives (read behind a stop-gradient).
   */
  public Operand<TFloat32> callSymmetric(
      Ops tf, Operand<TFloat32> q1, Operand<TFloat32> q2, Keys keys, AllGather gather, Operand<TFloat32> queue) {
    Checks.notNull("gather", gather);
    Checks.notNull("keys", keys);
    Checks.pair("q1", q1, "q2", q2);
    checkGathered("q1", q1, "keys.k2", keys.k2(), gather.size());
    checkGathered("q2", q2, "keys.k1", keys.k1(), gather.size());
    if (queue != null) {
      Checks.matrix("queue", queue);
      Checks.sameDim("queue", queue, 1, "q1", q1, 1, "the embedding sizes D");
    }
    Operand<TFloat32> both = tf.math.mul(tf.constant(0.5f), tf.math.add(
        perQuery(tf, q1, keys.k2(), queue, gather.rank()), perQuery(tf, q2, keys.k1(), queue, gather.rank())));
    return GatheredReduction.reduce(tf, loss.reduction(), both, gather.size());
  }

  /** Per-query loss [b]: q against [keys; queue], the positive at column rank * b + i. */
  private Operand<TFloat32> perQuery(
      Ops tf, Operand<TFloat32> q, Operand<TFloat32> keys, Operand<TFloat32> queue, int rank) {
    Operand<TFloat32> candidates = queue == null ? keys : tf.concat(List.of(keys, tf.stopGradient(queue)), tf.constant(0));
    Distance distance = loss.distance();
    Operand<TFloat32> logits = tf.math.div(
        distance.asSimilarity(tf, distance.matrix(tf, q, candidates)), tf.constant(loss.temperature()));
    Operand<TInt32> b = Tensors.size(tf, q, 0);
    Operand<TInt32> columns = tf.math.add(tf.range(tf.constant(0), b, tf.constant(1)), tf.math.mul(b, tf.constant(rank)));
    Operand<TFloat32> ce = SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.positivesAt(tf, logits, columns));
    return loss.twoTemperatureScaling() ? tf.math.mul(ce, tf.constant(2f * loss.temperature())) : ce;
  }

  /** Gathered keys [size * b, D] for local queries [b, D], where the static shapes tell. */
  private static void checkGathered(String qName, Operand<TFloat32> q, String kName, Operand<TFloat32> keys, int size) {
    Checks.matrix(kName, keys);
    Checks.sameDim(qName, q, 1, kName, keys, 1, "the embedding sizes D");
    long b = Checks.dim(q, 0);
    long rows = Checks.dim(keys, 0);
    if (b >= 0 && rows >= 0 && rows != b * size) {
      throw new IllegalArgumentException("argument '" + kName + "' must hold the keys of " + size + " workers of "
          + b + " rows each (" + (b * size) + " rows, as '" + qName + "' has shape " + Checks.describe(q.shape())
          + "), but has shape " + Checks.describe(keys.shape()));
    }
  }
}
