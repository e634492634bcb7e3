package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The softmax-contrastive core under {@link InfoNceLoss}, {@link NtXentLoss}, {@link SupConLoss},
 * {@link MocoLoss} and {@link ClipLoss}: each of them only builds the logits and the masks. For
 * anchor i with positives P(i) and the entries A(i) it does not ignore,
 *
 * <pre>
 *   loss_i = -1/|P(i)| * sum_{p in P(i)} log( exp(l_ip) / sum_{a in A(i)} exp(l_ia) )
 * </pre>
 *
 * the cross-entropy of each positive against every entry that is not ignored, averaged over the
 * positives (SupCon's L_out; with one positive per row it is the usual InfoNCE cross-entropy). An
 * anchor without positives gives 0, not NaN.
 *
 * <p>Every anchor's loss reads only its own row of the three inputs, so a form that computes the
 * similarity matrix in row blocks (for batches too large for one N x M matrix) can call {@link
 * #perAnchor} on each block and concatenate; the gradient of a block is local to it as well.
 * Ignored entries are pushed down by a large finite offset (not -inf), so temperatures like 0.01
 * stay finite; a positive must not also be ignored.
 */
public final class SoftmaxContrastive {
  private SoftmaxContrastive() {}

  /**
   * Per-anchor losses [N].
   *
   * @param logits [N,M]: similarities already scaled (divided by the temperature, or times CLIP's
   *     logit scale)
   * @param positives [N,M]: 1 where column j is a positive of anchor i, else 0 (carries no gradient)
   * @param ignore [N,M]: 1 for entries left out of the softmax (e.g. an anchor's similarity to
   *     itself), else 0; null to keep every entry
   */
  public static Operand<TFloat32> perAnchor(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> positives, Operand<TFloat32> ignore) {
    Checks.notNull("logits", logits);
    Checks.notNull("positives", positives);
    Checks.rank("logits", logits, 2, "[N,M]");
    Checks.sameShape("logits", logits, "positives", positives);
    Operand<TFloat32> kept = logits;
    if (ignore != null) {
      Checks.sameShape("logits", logits, "ignore", ignore);
      kept = tf.math.sub(logits, tf.math.mul(tf.stopGradient(ignore), tf.constant(Tensors.LARGE)));
    }
    Operand<TFloat32> logProb = tf.nn.logSoftmax(kept);
    Operand<TFloat32> pos = tf.stopGradient(positives);
    Operand<TFloat32> count = tf.reduceSum(pos, tf.constant(1));
    return tf.math.neg(tf.math.div(
        tf.reduceSum(tf.math.mul(pos, logProb), tf.constant(1)),
        tf.math.maximum(count, tf.constant(1f))));
  }

  /** {@link #perAnchor(Ops, Operand, Operand, Operand)} with no entry ignored. */
  public static Operand<TFloat32> perAnchor(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> positives) {
    return perAnchor(tf, logits, positives, null);
  }

  /**
   * Positives shaped like {@code logits} [N,M] with one 1 per row, in column {@code columns[i]}
   * ([N] indices): the diagonal for in-batch InfoNCE, MoCo and CLIP, column 0 for explicit
   * negatives, the other view for NT-Xent.
   */
  public static Operand<TFloat32> positivesAt(Ops tf, Operand<TFloat32> logits, Operand<TInt32> columns) {
    return tf.oneHot(columns, Tensors.size(tf, logits, 1), tf.constant(1f), tf.constant(0f));
  }

  /** {@link #positivesAt} the diagonal: row i's positive is column i. */
  public static Operand<TFloat32> diagonal(Ops tf, Operand<TFloat32> logits) {
    return positivesAt(tf, logits, tf.range(tf.constant(0), Tensors.size(tf, logits, 0), tf.constant(1)));
  }
}
