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
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Supervised contrastive loss (Khosla et al. 2020, L_out): for anchor i with positives P(i) (same
 * label, not i),
 *
 * <pre>
 *   -1/|P(i)| * sum_{p in P(i)} log( exp(s_ip/t) / sum_{a != i} exp(s_ia/t) )
 * </pre>
 *
 * with s the similarity; this is {@link SoftmaxContrastive} with the self-similarity ignored. An
 * anchor with no positive contributes 0, not NaN (the official code and document 004 also keep it
 * in the mean). MEAN is over all B anchors; NONE gives [B].
 *
 * <p>Defaults: temperature 0.07 (Khosla et al., document 004); cosine similarity (normalised
 * features).
 */
public record SupConLoss(float temperature, Distance distance, Reduction reduction, int chunkRows) {
  public SupConLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
    ChunkedContrastive.checkOption(chunkRows, reduction);
  }

  /** The full-matrix form. */
  public SupConLoss(float temperature, Distance distance, Reduction reduction) {
    this(temperature, distance, reduction, 0);
  }

  public static SupConLoss create() {
    return new SupConLoss(0.07f, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public SupConLoss withTemperature(float temperature) {
    return new SupConLoss(temperature, distance, reduction, chunkRows);
  }

  /** The similarity between features (a distance is negated). */
  public SupConLoss withDistance(Distance distance) {
    return new SupConLoss(temperature, distance, reduction, chunkRows);
  }

  public SupConLoss withReduction(Reduction reduction) {
    return new SupConLoss(temperature, distance, reduction, chunkRows);
  }

  /**
   * Computes the [B,B] similarity matrix {@code chunkRows} anchors at a time, forward and backward,
   * never whole ({@link ChunkedContrastive}); 0 (the default) builds the full matrix. Needs a static
   * batch size and reduction MEAN or SUM.
   */
  public SupConLoss withChunkRows(int chunkRows) {
    return new SupConLoss(temperature, distance, reduction, chunkRows);
  }

  /** features [B,D], integer class labels [B] (TInt32 or TInt64). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> features, Operand<? extends TNumber> labels) {
    Checks.matrix("features", features);
    Checks.notNull("labels", labels);
    Checks.rank("labels", labels, 1, "[B]");
    Checks.sameDim("labels", labels, 0, "features", features, 0, "the batch sizes B");
    Operand<? extends TNumber> fixedLabels = tf.stopGradient(labels);
    ChunkedContrastive.Rows rows = (t, anchors, indices) -> {
      Operand<TFloat32> logits = t.math.div(
          distance.asSimilarity(t, distance.matrix(t, anchors, features)), t.constant(temperature));
      Operand<TFloat32> self = SoftmaxContrastive.positivesAt(t, logits, indices);
      Operand<TFloat32> same = Tensors.sameLabel(t, t.gather(fixedLabels, indices, t.constant(0)), fixedLabels);
      return SoftmaxContrastive.perAnchor(t, logits, t.math.mul(same, t.math.sub(t.constant(1f), self)), self);
    };
    if (chunkRows == 0) {
      Operand<TInt32> all = tf.range(tf.constant(0), Tensors.size(tf, features, 0), tf.constant(1));
      return reduction.reduce(tf, rows.perAnchor(tf, features, all));
    }
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass("features", features, rows);
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, chunkRows, List.of(features), List.of(pass));
    return ChunkedContrastive.reduce(tf, reduction, sum, ChunkedContrastive.staticRows(chunkRows, pass));
  }
}
