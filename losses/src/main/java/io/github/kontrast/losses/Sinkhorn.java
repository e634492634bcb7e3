package io.github.kontrast.losses;

import io.github.kontrast.losses.distributed.AllReduce;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Sinkhorn-Knopp (SwAV's online codes; document 004's sinkhorn): from prototype scores [B,P] to
 * soft assignments [B,P] whose rows sum to 1 and whose prototypes are used equally across the
 * batch. Q = exp(scores / epsilon), then alternately rows (prototypes) normalised to 1/P and
 * columns (examples) to 1/B, {@code iterations} times. The codes are targets: they carry no
 * gradient.
 *
 * <p>Defaults: epsilon 0.05, 3 iterations (SwAV, document 004). The scores are shifted by their
 * maximum before exp, which the normalisations cancel, so small epsilons do not overflow.
 *
 * <p>In data-parallel training ({@link #call(Ops, Operand, AllReduce)}) the batch is the global
 * one, as in SwAV's own code: the maximum, the total and the prototypes' sums run over every
 * worker's examples (three kinds of all-reduce), the examples' sums stay local, and each worker
 * gets its rows of the global batch's codes.
 */
public record Sinkhorn(float epsilon, int iterations) {
  public Sinkhorn {
    Checks.positive("epsilon", epsilon);
    Checks.atLeast("iterations", iterations, 1);
  }

  public static Sinkhorn create() {
    return new Sinkhorn(0.05f, 3);
  }

  /** Must be > 0. */
  public Sinkhorn withEpsilon(float epsilon) {
    return new Sinkhorn(epsilon, iterations);
  }

  /** Must be >= 1. */
  public Sinkhorn withIterations(int iterations) {
    return new Sinkhorn(epsilon, iterations);
  }

  /** scores [B,P] -> codes [B,P]. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> scores) {
    return call(tf, scores, null);
  }

  /**
   * This worker's scores [b,P] -> its rows [b,P] of the codes of the global batch, whose other rows
   * are on the other workers of {@code workers}; null: one worker, as {@link #call(Ops, Operand)}.
   */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> scores, AllReduce workers) {
    Checks.matrix("scores", scores);
    Operand<TFloat32> s = tf.math.div(tf.stopGradient(scores), tf.constant(epsilon));
    Operand<TFloat32> max = tf.reduceMax(s, tf.constant(new int[] {0, 1}));
    Operand<TFloat32> shifted = tf.math.sub(s, workers == null ? max : workers.max(tf, max));
    // work in [P,B] as the reference implementation does
    Operand<TFloat32> q = tf.linalg.transpose(tf.math.exp(shifted), tf.constant(new int[] {1, 0}));
    q = tf.math.divNoNan(q, global(tf, workers, tf.reduceSum(q, tf.constant(new int[] {0, 1}))));
    Operand<TFloat32> prototypes = tf.dtypes.cast(Tensors.size(tf, q, 0), TFloat32.class);
    Operand<TFloat32> batch = tf.dtypes.cast(Tensors.size(tf, q, 1), TFloat32.class);
    if (workers != null) {
      batch = tf.math.mul(batch, tf.constant((float) workers.size()));
    }
    for (int i = 0; i < iterations; i++) {
      q = tf.math.divNoNan(q, tf.math.mul(global(tf, workers, rowSums(tf, q)), prototypes));
      q = tf.math.divNoNan(q, tf.math.mul(colSums(tf, q), batch));
    }
    q = tf.math.divNoNan(q, colSums(tf, q));
    return tf.stopGradient(tf.linalg.transpose(q, tf.constant(new int[] {1, 0})));
  }

  /** {@code x} summed over the workers; {@code x} itself on one worker. */
  private static Operand<TFloat32> global(Ops tf, AllReduce workers, Operand<TFloat32> x) {
    return workers == null ? x : workers.sum(tf, x);
  }

  private static Operand<TFloat32> rowSums(Ops tf, Operand<TFloat32> q) {
    return tf.reduceSum(q, tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true));
  }

  private static Operand<TFloat32> colSums(Ops tf, Operand<TFloat32> q) {
    return tf.reduceSum(q, tf.constant(0), org.tensorflow.op.core.ReduceSum.keepDims(true));
  }
}
