package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Tensors;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Batch-hard mining (Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss"): for each
 * anchor, its farthest positive and its closest negative in the batch: B triplets, one per anchor.
 * Anchors with no other member of their class, or no other class, are masked out.
 */
public final class BatchHardMiner implements TripletMiner {
  private static final BatchHardMiner INSTANCE = new BatchHardMiner();

  private BatchHardMiner() {}

  public static BatchHardMiner create() {
    return INSTANCE;
  }

  @Override
  public MinedTriplets mine(Ops tf, Operand<TFloat32> distances, Operand<? extends TNumber> labels) {
    Operand<TFloat32> same = Tensors.sameLabel(tf, labels);
    Operand<TFloat32> notSelf = tf.math.sub(tf.constant(1f), Tensors.eye(tf, Tensors.size(tf, distances, 0)));
    Operand<TFloat32> positives = tf.math.mul(same, notSelf);
    Operand<TFloat32> negatives = tf.math.sub(tf.constant(1f), same);
    Operand<TFloat32> big = tf.constant(Tensors.LARGE);
    // masked max/min: entries that are not candidates are pushed far out of the way
    Operand<TFloat32> hardestPositive = tf.reduceMax(
        tf.math.sub(distances, tf.math.mul(tf.math.sub(tf.constant(1f), positives), big)), tf.constant(1));
    Operand<TFloat32> hardestNegative = tf.reduceMin(
        tf.math.add(distances, tf.math.mul(tf.math.sub(tf.constant(1f), negatives), big)), tf.constant(1));
    Operand<TFloat32> valid = tf.math.mul(
        tf.reduceMax(positives, tf.constant(1)), tf.reduceMax(negatives, tf.constant(1)));
    return new MinedTriplets(hardestPositive, hardestNegative, tf.stopGradient(valid));
  }

  @Override
  public String name() {
    return "batchHard";
  }

  @Override
  public String toString() {
    return name();
  }
}
