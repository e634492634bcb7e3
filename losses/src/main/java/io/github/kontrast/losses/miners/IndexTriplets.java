package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Checks;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/** Triplets (anchors[t], positives[t], negatives[t]) as row indices into the batch, each [T]. */
public record IndexTriplets(Operand<TInt32> anchors, Operand<TInt32> positives, Operand<TInt32> negatives)
    implements Tuples {
  public IndexTriplets {
    Checks.notNull("anchors", anchors);
    Checks.notNull("positives", positives);
    Checks.notNull("negatives", negatives);
    Checks.sameShape("anchors", anchors, "positives", positives);
    Checks.sameShape("anchors", anchors, "negatives", negatives);
  }

  /** (a, p) as positive pairs and (a, n) as negative pairs. */
  @Override
  public IndexPairs pairs(Ops tf) {
    return new IndexPairs(anchors, positives, anchors, negatives);
  }

  @Override
  public IndexTriplets triplets(Ops tf) {
    return this;
  }
}
