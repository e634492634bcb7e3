package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Every pair of the batch: (i, j), i != j, positive when the labels are equal, negative otherwise,
 * both orders, row-major. What a pair loss uses without a miner, as PML does.
 */
public final class AllPairsMiner implements Miner {
  private static final AllPairsMiner INSTANCE = new AllPairsMiner();

  private AllPairsMiner() {}

  public static AllPairsMiner create() {
    return INSTANCE;
  }

  @Override
  public IndexPairs mine(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    LabelMasks masks = LabelMasks.of(tf, embeddings, labels);
    List<Operand<TInt32>> pos = Tensors.nonZero(tf, masks.positives(), 2);
    List<Operand<TInt32>> neg = Tensors.nonZero(tf, masks.negatives(), 2);
    return new IndexPairs(pos.get(0), pos.get(1), neg.get(0), neg.get(1));
  }

  @Override
  public String toString() {
    return "allPairs";
  }
}
