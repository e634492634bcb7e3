package io.github.kontrast.losses;

import io.github.kontrast.losses.distributed.AllReduce;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SwAV's swapped prediction (Caron et al. 2020; document 004): codes q1, q2 from {@link Sinkhorn}
 * on each view's prototype scores (no gradient), then
 *
 * <pre>
 *   -1/2 * ( sum_p q1 log softmax(s2 / t) + sum_p q2 log softmax(s1 / t) )
 * </pre>
 *
 * per example. Defaults: temperature 0.1, epsilon 0.05, 3 iterations (SwAV, document 004). NONE
 * gives [B].
 */
public record SwavLoss(float temperature, Sinkhorn sinkhorn, Reduction reduction) {
  public SwavLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("sinkhorn", sinkhorn);
    Checks.notNull("reduction", reduction);
  }

  public static SwavLoss create() {
    return new SwavLoss(0.1f, Sinkhorn.create(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public SwavLoss withTemperature(float temperature) {
    return new SwavLoss(temperature, sinkhorn, reduction);
  }

  /** The codes' Sinkhorn-Knopp settings. */
  public SwavLoss withSinkhorn(Sinkhorn sinkhorn) {
    return new SwavLoss(temperature, sinkhorn, reduction);
  }

  /** Sinkhorn's epsilon; must be > 0. */
  public SwavLoss withEpsilon(float epsilon) {
    return new SwavLoss(temperature, sinkhorn.withEpsilon(epsilon), reduction);
  }

  /** Sinkhorn's iterations; must be >= 1. */
  public SwavLoss withIterations(int iterations) {
    return new SwavLoss(temperature, sinkhorn.withIterations(iterations), reduction);
  }

  public SwavLoss withReduction(Reduction reduction) {
    return new SwavLoss(temperature, sinkhorn, reduction);
  }

  /** Sinkhorn's epsilon. */
  public float epsilon() {
    return sinkhorn.epsilon();
  }

  /** Sinkhorn's iterations. */
  public int iterations() {
    return sinkhorn.iterations();
  }

  /** scores1, scores2 [B,P]: the two views' prototype scores (normalised z times prototypes). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> scores1, Operand<TFloat32> scores2) {
    return call(tf, scores1, scores2, null);
  }

  /**
   * This worker's part in data-parallel training with {@code workers} (null: one worker): the codes
   * are Sinkhorn's over the global batch ({@link Sinkhorn#call(Ops, Operand, AllReduce)}), the
   * loss is over this worker's examples. MEAN: the mean of the workers' values is the global
   * batch's mean; SUM is multiplied by the number of workers, so that their mean is the global sum;
   * NONE gives this worker's examples' losses.
   */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> scores1, Operand<TFloat32> scores2, AllReduce workers) {
    Checks.pair("scores1", scores1, "scores2", scores2);
    Operand<TFloat32> q1 = sinkhorn.call(tf, scores1, workers);
    Operand<TFloat32> q2 = sinkhorn.call(tf, scores2, workers);
    Operand<TFloat32> t = tf.constant(temperature);
    Operand<TFloat32> logP1 = tf.nn.logSoftmax(tf.math.div(scores1, t));
    Operand<TFloat32> logP2 = tf.nn.logSoftmax(tf.math.div(scores2, t));
    Operand<TFloat32> perExample = tf.math.mul(
        tf.constant(-0.5f),
        tf.math.add(
            Tensors.sumLast(tf, tf.math.mul(q1, logP2)), Tensors.sumLast(tf, tf.math.mul(q2, logP1))));
    Operand<TFloat32> reduced = reduction.reduce(tf, perExample);
    return workers != null && reduction == Reduction.SUM ? tf.math.mul(reduced, tf.constant((float) workers.size())) : reduced;
  }
}
