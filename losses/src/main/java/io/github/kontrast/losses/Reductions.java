package io.github.kontrast.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Applies a {@link Reduction} to a tensor of per-example losses. */
final class Reductions {
  private Reductions() {}

  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> perExample, Reduction reduction) {
    switch (reduction) {
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
   * Mean over the entries where {@code weights} (0/1, the same shape as the values) is 1 (sum over them for SUM); an all-zero mask gives
   * 0, not NaN. NONE returns the masked tensor.
   */
  static Operand<TFloat32> applyMasked(
      Ops tf, Operand<TFloat32> values, Operand<TFloat32> weights, Reduction reduction) {
    Operand<TFloat32> masked = tf.math.mul(values, weights);
    switch (reduction) {
      case NONE:
        return masked;
      case SUM:
        return tf.reduceSum(masked, allAxes(tf, masked));
      case MEAN:
      default:
        Operand<TFloat32> total = tf.reduceSum(masked, allAxes(tf, masked));
        // weights has the values' full shape (OnesLike, which would broadcast it, has no gradient)
        Operand<TFloat32> count = tf.reduceSum(weights, allAxes(tf, weights));
        return tf.math.div(total, tf.math.maximum(count, tf.constant(1f)));
    }
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}
