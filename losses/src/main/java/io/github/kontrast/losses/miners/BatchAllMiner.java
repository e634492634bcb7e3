package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Tensors;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Batch-all mining: every valid triplet (a, p, n) of the batch, a != p, label(a) = label(p) !=
 * label(n). The mined tensors are [B,B,1] and [B,1,B] with a [B,B,B] mask, so memory grows as B^3.
 */
public final class BatchAllMiner implements TripletMiner {
  private static final BatchAllMiner INSTANCE = new BatchAllMiner();

  private BatchAllMiner() {}

  public static BatchAllMiner create() {
    return INSTANCE;
  }

  @Override
  public MinedTriplets mine(Ops tf, Operand<TFloat32> distances, Operand<? extends TNumber> labels) {
    Operand<TFloat32> same = Tensors.sameLabel(tf, labels);
    Operand<TFloat32> notSelf = tf.math.sub(tf.constant(1f), Tensors.eye(tf, Tensors.size(tf, distances, 0)));
    Operand<TFloat32> positives = tf.math.mul(same, notSelf);
    Operand<TFloat32> negatives = tf.math.sub(tf.constant(1f), same);
    Operand<TFloat32> valid = tf.math.mul(
        tf.expandDims(positives, tf.constant(2)), tf.expandDims(negatives, tf.constant(1)));
    return new MinedTriplets(
        tf.expandDims(distances, tf.constant(2)),
        tf.expandDims(distances, tf.constant(1)),
        tf.stopGradient(valid));
  }

  @Override
  public String name() {
    return "batchAll";
  }

  @Override
  public String toString() {
    return name();
  }
}
