package io.github.kontrast.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a 0/1 pair label means. Sources disagree (see docs/conventions.md), so a pair loss never
 * takes a bare 0/1 without one of these.
 */
public enum PairConvention {
  /** Label 1 = similar pair (pull together), 0 = dissimilar. Keras, TF Addons, documents 001, 004. */
  ONE_MEANS_SIMILAR,
  /**
   * Label 1 = dissimilar pair (push apart beyond the margin), 0 = similar. Hadsell et al. 2006,
   * documents 000 and 003, Wolfram's Target True.
   */
  ONE_MEANS_DISSIMILAR;

  /** The indicator "this pair is similar" (1 or 0) as a float tensor of the labels' shape. */
  Operand<TFloat32> similar(Ops tf, Operand<TFloat32> labels) {
    return this == ONE_MEANS_SIMILAR ? labels : tf.math.sub(tf.constant(1f), labels);
  }
}
