package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Batch-all: every valid triplet (a, p, n) of the batch, a != p, label(a) = label(p) != label(n),
 * row-major. What a triplet loss uses without another miner (PML uses all triplets when no miner
 * is given). The candidate mask is [B,B,B], so memory grows as B^3.
 */
public final class BatchAllMiner implements Miner {
  private static final BatchAllMiner INSTANCE = new BatchAllMiner();

  private BatchAllMiner() {}

  public static BatchAllMiner create() {
    return INSTANCE;
  }

  @Override
  public IndexTriplets mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    LabelMasks masks = LabelMasks.of(tf, embeddings, labels);
    Operand<TFloat32> valid = tf.math.mul(
        tf.expandDims(masks.positives(), tf.constant(2)), tf.expandDims(masks.negatives(), tf.constant(1)));
    List<Operand<TInt32>> at = Tensors.nonZero(tf, valid, 3);
    return new IndexTriplets(at.get(0), at.get(1), at.get(2));
  }

  @Override
  public String toString() {
    return "batchAll";
  }
}
