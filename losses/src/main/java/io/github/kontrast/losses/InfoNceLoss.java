package io.github.kontrast.losses;

import io.github.kontrast.losses.distances.Distance;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * InfoNCE (van den Oord et al. 2018): cross-entropy of the positive key against the negatives,
 * logits = similarity(q, k) / temperature, through {@link SoftmaxContrastive}.
 *
 * <ul>
 *   <li>{@link #call(Ops, Operand, Operand, Operand)}: explicit negatives [B,K,D] per query
 *       (document 004's info_nce_loss; e.g. from {@code HardNegativeMiner.negatives});
 *   <li>{@link #call(Ops, Operand, Operand)}: in-batch negatives, the other rows' positive keys.
 * </ul>
 *
 * <p>Defaults: temperature 0.07 (document 004, MoCo v1/v2); cosine similarity, i.e. L2-normalised
 * query and keys (MoCo, the info-nce-pytorch package). Document 004's function works on raw
 * vectors: {@code withDistance(Distances.dot())}; a distance such as {@code squaredEuclidean()}
 * enters negated. NONE gives one loss per query [B].
 */
public record InfoNceLoss(float temperature, Distance distance, Reduction reduction) {
  public InfoNceLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
  }

  public static InfoNceLoss create() {
    return new InfoNceLoss(0.07f, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public InfoNceLoss withTemperature(float temperature) {
    return new InfoNceLoss(temperature, distance, reduction);
  }

  /** The similarity of query and keys (a distance is negated). */
  public InfoNceLoss withDistance(Distance distance) {
    return new InfoNceLoss(temperature, distance, reduction);
  }

  public InfoNceLoss withReduction(Reduction reduction) {
    return new InfoNceLoss(temperature, distance, reduction);
  }

  /** query [B,D], positiveKey [B,D], negativeKeys [B,K,D]; the positive is column 0 of the logits. */
  public Operand<TFloat32> call(
      Ops tf, Operand<TFloat32> query, Operand<TFloat32> positiveKey, Operand<TFloat32> negativeKeys) {
    Checks.pair("query", query, "positiveKey", positiveKey);
    Checks.rank("negativeKeys", negativeKeys, 3, "[B,K,D]");
    Checks.sameDim("query", query, 0, "negativeKeys", negativeKeys, 0, "the batch sizes B");
    Checks.sameDim("query", query, 1, "negativeKeys", negativeKeys, 2, "the embedding sizes D");
    if (Checks.dim(negativeKeys, 1) == 0) {
      throw new IllegalArgumentException(
          "argument 'negativeKeys' has no negatives: shape " + Checks.describe(negativeKeys.shape()));
    }
    Operand<TFloat32> pos = distance.asSimilarity(tf, distance.pairwise(tf, query, positiveKey));
    Operand<TFloat32> neg = distance.asSimilarity(tf, distance.grouped(tf, query, negativeKeys));
    Operand<TFloat32> logits = tf.math.div(
        tf.concat(List.of(tf.expandDims(pos, tf.constant(1)), neg), tf.constant(1)), tf.constant(temperature));
    Operand<TFloat32> first = SoftmaxContrastive.positivesAt(
        tf, logits, tf.zerosLike(tf.range(tf.constant(0), Tensors.size(tf, logits, 0), tf.constant(1))));
    return reduction.reduce(tf, SoftmaxContrastive.perAnchor(tf, logits, first));
  }

  /** In-batch negatives: query [B,D] against all positive keys [B,D]; row i's positive is key i. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> query, Operand<TFloat32> positiveKey) {
    Checks.pair("query", query, "positiveKey", positiveKey);
    Operand<TFloat32> logits = tf.math.div(
        distance.asSimilarity(tf, distance.matrix(tf, query, positiveKey)), tf.constant(temperature));
    return reduction.reduce(tf, SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.diagonal(tf, logits)));
  }
}
