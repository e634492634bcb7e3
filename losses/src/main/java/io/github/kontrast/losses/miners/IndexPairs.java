package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Positive pairs (positiveAnchors[i], positives[i]) and negative pairs (negativeAnchors[j],
 * negatives[j]), as row indices into the batch: [P] and [P], [N] and [N] (PML's a1, p, a2, n).
 */
public record IndexPairs(
    Operand<TInt32> positiveAnchors, Operand<TInt32> positives, Operand<TInt32> negativeAnchors, Operand<TInt32> negatives)
    implements Tuples {
  public IndexPairs {
    Checks.notNull("positiveAnchors", positiveAnchors);
    Checks.notNull("positives", positives);
    Checks.notNull("negativeAnchors", negativeAnchors);
    Checks.notNull("negatives", negatives);
    Checks.sameShape("positiveAnchors", positiveAnchors, "positives", positives);
    Checks.sameShape("negativeAnchors", negativeAnchors, "negatives", negatives);
  }

  @Override
  public IndexPairs pairs(Ops tf) {
    return this;
  }

  /** Every (positive pair, negative pair) with the same anchor: (a, p, n). */
  @Override
  public IndexTriplets triplets(Ops tf) {
    Operand<TFloat32> sameAnchor = tf.dtypes.cast(
        tf.math.equal(tf.expandDims(positiveAnchors, tf.constant(1)), tf.expandDims(negativeAnchors, tf.constant(0))),
        TFloat32.class);
    List<Operand<TInt32>> at = Tensors.nonZero(tf, sameAnchor, 2);
    return new IndexTriplets(
        tf.gather(positiveAnchors, at.get(0), tf.constant(0)),
        tf.gather(positives, at.get(0), tf.constant(0)),
        tf.gather(negatives, at.get(1), tf.constant(0)));
  }
}
