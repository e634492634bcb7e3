package io.github.kontrast.losses.miners;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Chooses pairs or triplets inside a batch from its embeddings and class labels (PyTorch Metric
 * Learning's miners). Every pair and triplet loss accepts what a miner returns, in {@code
 * call(tf, embeddings, tuples)}, or runs its own miner in {@code call(tf, embeddings, labels)}.
 * Choices are made on stop-gradient values: the indices carry no gradient, the loss's distances
 * between the chosen rows do.
 */
public interface Miner {
  /**
   * @param embeddings [B,D]
   * @param labels [B] integer class labels: rows with equal labels are positives of each other
   */
  Tuples mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels);
}
