package io.github.kontrast.losses.distributed;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * How a loss sees the rows of every worker of a data-parallel group: {@link #gather} returns the
 * rows of all workers concatenated in rank order, every worker holding the same number of rows.
 * This worker's own rows in the result are its input itself, so they keep their gradient; the
 * other workers' rows are copies whose gradient goes back to the worker that owns them (the
 * gradient of a gather is the sum of every worker's upstream gradient, sliced at this worker's
 * rank). The losses of this package take one and compute the loss of this worker's anchors
 * against every worker's candidates.
 */
public interface AllGather {
  /** Number of workers in the group, at least 1. */
  int size();

  /** This worker's index in the group, 0-based; its rows come at {@code rank * rows} in {@link #gather}'s result. */
  int rank();

  /**
   * {@code x} [b,...] of every worker, concatenated along the first axis in rank order: [size * b,
   * ...]. Every worker must call it with the same shape and in the same order in its graph.
   */
  Operand<TFloat32> gather(Ops tf, Operand<TFloat32> x);
}
