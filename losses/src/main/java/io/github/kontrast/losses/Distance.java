package io.github.kontrast.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A distance or a similarity between embeddings. Losses that need "smaller = closer" use {@link
 * #isSimilarity()} to flip the sign of a similarity. Implementations are in {@link Distances}.
 */
public interface Distance {
  /** Row-wise: a [B,D], b [B,D] -> [B]. */
  Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);

  /** All pairs: a [N,D], b [M,D] -> [N,M]. */
  Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);

  /** True when larger means closer (cosine, dot product). */
  boolean isSimilarity();

  /** A short name for printing, e.g. "euclidean". */
  String name();
}
