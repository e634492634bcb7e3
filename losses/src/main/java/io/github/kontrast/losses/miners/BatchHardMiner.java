package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Batch-hard mining (Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss"): for each
 * anchor, its farthest positive and its closest negative in the batch, one triplet per anchor that
 * has both (the first in index order on a tie). Default distance: Euclidean.
 */
public record BatchHardMiner(Distance distance) implements Miner {
  public BatchHardMiner {
    Checks.notNull("distance", distance);
  }

  public static BatchHardMiner create() {
    return new BatchHardMiner(Distances.euclidean());
  }

  /** How hardness is measured (a similarity is negated). */
  public BatchHardMiner withDistance(Distance distance) {
    return new BatchHardMiner(distance);
  }

  @Override
  public IndexTriplets mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    LabelMasks masks = LabelMasks.of(tf, embeddings, labels);
    Operand<TFloat32> d = tf.stopGradient(distance.asDistance(tf, distance.matrix(tf, embeddings, embeddings)));
    Operand<TFloat32> big = tf.constant(Tensors.LARGE);
    Operand<TFloat32> one = tf.constant(1f);
    // rows that are not candidates are pushed far out of the way
    Operand<TInt32> farthestPositive = tf.math.argMax(
        tf.math.sub(d, tf.math.mul(tf.math.sub(one, masks.positives()), big)), tf.constant(1), TInt32.class);
    Operand<TInt32> closestNegative = tf.math.argMin(
        tf.math.add(d, tf.math.mul(tf.math.sub(one, masks.negatives()), big)), tf.constant(1), TInt32.class);
    Operand<TInt32> anchors = Tensors.nonZero(tf, masks.hasBoth(tf), 1).get(0);
    return new IndexTriplets(
        anchors, tf.gather(farthestPositive, anchors, tf.constant(0)), tf.gather(closestNegative, anchors, tf.constant(0)));
  }
}
