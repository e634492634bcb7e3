package io.github.kontrast.losses.miners;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** The 0/1 [B,B] masks every miner starts from: who is a positive, who a negative of whom. */
record LabelMasks(Operand<TFloat32> positives, Operand<TFloat32> negatives) {
  /** Positives: same label, not the row itself. Negatives: another label. */
  static LabelMasks of(Ops tf, Operand<TFloat32> embeddings, Operand<? extends TNumber> labels) {
    Checks.labelled("embeddings", embeddings, labels);
    Operand<TFloat32> same = Tensors.sameLabel(tf, tf.stopGradient(labels));
    Operand<TFloat32> notSelf = tf.math.sub(tf.constant(1f), Tensors.eye(tf, Tensors.size(tf, embeddings, 0)));
    return new LabelMasks(tf.math.mul(same, notSelf), tf.math.sub(tf.constant(1f), same));
  }

  /** 1 for rows that have at least one positive and one negative: [B]. */
  Operand<TFloat32> hasBoth(Ops tf) {
    return tf.math.mul(tf.reduceMax(positives, tf.constant(1)), tf.reduceMax(negatives, tf.constant(1)));
  }
}
