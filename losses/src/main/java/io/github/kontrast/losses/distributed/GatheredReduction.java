package io.github.kontrast.losses.distributed;

import io.github.kontrast.losses.reducers.Reduction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The reduction of a gathered loss's per-anchor values on one worker, chosen so that the mean
 * over the workers is the one-worker loss of the global batch: MEAN is the mean over this worker's
 * anchors (every worker has as many), SUM is {@code size} times this worker's sum. NONE has no such
 * form (one worker's per-anchor losses are not the global batch's) and is refused.
 */
final class GatheredReduction {
  private GatheredReduction() {}

  /** Fails on NONE, naming {@code argument} and the gathered loss {@code what}. */
  static void check(String argument, String what, Reduction reduction) {
    if (reduction == Reduction.NONE) {
      throw new IllegalArgumentException(argument + ": the gathered " + what
          + " needs reduction MEAN or SUM (the mean over workers then gives the global batch's loss), got NONE");
    }
  }

  /** perAnchor [n] of this worker, reduced as the class comment says. */
  static Operand<TFloat32> reduce(Ops tf, Reduction reduction, Operand<TFloat32> perAnchor, int size) {
    if (reduction == Reduction.MEAN) {
      return tf.math.mean(perAnchor, tf.constant(0));
    }
    return tf.math.mul(tf.reduceSum(perAnchor, tf.constant(0)), tf.constant((float) size));
  }

  /** The same from the sum over this worker's {@code count} anchors (a row-block form sums as it goes). */
  static Operand<TFloat32> reduceSum(Ops tf, Reduction reduction, Operand<TFloat32> sum, long count, int size) {
    if (reduction == Reduction.MEAN) {
      return tf.math.div(sum, tf.constant((float) count));
    }
    return tf.math.mul(sum, tf.constant((float) size));
  }
}
