package io.github.kontrast.losses.reducers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How per-example (per-anchor, per-pair, per-triplet) losses become what a loss returns: PyTorch
 * Metric Learning's reducers. Every loss has {@code withReduction}; {@link #MEAN} is the default
 * everywhere.
 */
public enum Reduction {
  /** The mean over examples: a scalar. */
  MEAN,
  /** The sum over examples: a scalar. */
  SUM,
  /** No reduction: one loss per example. */
  NONE;

  /** Reduces a batch of per-example losses (a batch is never empty: the losses check it). */
  public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> perExample) {
    switch (this) {
      case NONE:
        return perExample;
      case SUM:
        return tf.reduceSum(perExample, allAxes(tf, perExample));
      case MEAN:
      default:
        return tf.math.mean(perExample, allAxes(tf, perExample));
    }
  }

  /**
   * Reduces a set of losses that may be empty, such as the pairs or triplets a miner found: MEAN
   * and SUM of no losses are 0, not NaN; NONE returns the (possibly empty) vector.
   */
  public Operand<TFloat32> reduceOrZero(Ops tf, Operand<TFloat32> values) {
    switch (this) {
      case NONE:
        return values;
      case SUM:
        return tf.reduceSum(values, allAxes(tf, values));
      case MEAN:
      default:
        Operand<TFloat32> count = tf.dtypes.cast(tf.size(values), TFloat32.class);
        return tf.math.div(tf.reduceSum(values, allAxes(tf, values)), tf.math.maximum(count, tf.constant(1f)));
    }
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}
