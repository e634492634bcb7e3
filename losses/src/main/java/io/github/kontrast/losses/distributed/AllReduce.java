package io.github.kontrast.losses.distributed;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Element-wise reductions over the workers of a data-parallel group, for losses whose targets are
 * normalised over the global batch (SwAV's {@link io.github.kontrast.losses.Sinkhorn} codes).
 * Every worker must call them with the same shape and in the same order in its graph. The results
 * carry no gradient: they serve quantities computed without one.
 */
public interface AllReduce {
  /** Number of workers in the group, at least 1. */
  int size();

  /** The element-wise sum of {@code x} over the workers. */
  Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x);

  /** The element-wise maximum of {@code x} over the workers. */
  Operand<TFloat32> max(Ops tf, Operand<TFloat32> x);
}
