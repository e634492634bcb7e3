package io.github.kontrast.losses.miners;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** Chooses triplets inside a batch from class labels. See {@link BatchHardMiner}, {@link BatchAllMiner}. */
public interface TripletMiner {
  /**
   * @param distances [B,B] pairwise distances, smaller = closer (a similarity already negated)
   * @param labels [B] integer class labels
   */
  MinedTriplets mine(Ops tf, Operand<TFloat32> distances, Operand<? extends TNumber> labels);

  /** A short name for printing. */
  String name();
}
