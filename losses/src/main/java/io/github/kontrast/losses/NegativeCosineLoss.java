package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SimSiam's loss (Chen and He 2021): D(p, z) = -cos(p, stopgrad(z)), symmetrised as D(p1, z2)/2 +
 * D(p2, z1)/2. Values lie in [-1, 1]; -1 is perfect agreement. The stop-gradient is inside, so z1
 * and z2 get no gradient from this loss. NONE gives [B].
 */
public record NegativeCosineLoss(Reduction reduction) {
  public NegativeCosineLoss {
    Checks.notNull("reduction", reduction);
  }

  public static NegativeCosineLoss create() {
    return new NegativeCosineLoss(Reduction.MEAN);
  }

  public NegativeCosineLoss withReduction(Reduction reduction) {
    return new NegativeCosineLoss(reduction);
  }

  /** The symmetric form: predictions p1, p2 and projections z1, z2, all [B,D]. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> p1, Operand<TFloat32> p2, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    Checks.pair("p1", p1, "p2", p2);
    Checks.pair("p1", p1, "z1", z1);
    Checks.pair("p1", p1, "z2", z2);
    Operand<TFloat32> perPair = tf.math.mul(
        tf.constant(0.5f), tf.math.add(negCos(tf, p1, z2), negCos(tf, p2, z1)));
    return reduction.reduce(tf, perPair);
  }

  /** One direction: D(p, z) for p, z [B,D]. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> p, Operand<TFloat32> z) {
    Checks.pair("p", p, "z", z);
    return reduction.reduce(tf, negCos(tf, p, z));
  }

  private static Operand<TFloat32> negCos(Ops tf, Operand<TFloat32> p, Operand<TFloat32> z) {
    return tf.math.neg(Distances.cosine().pairwise(tf, p, tf.stopGradient(z)));
  }
}
