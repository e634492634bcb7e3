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

/**
 * NT-Xent, SimCLR's loss (Chen et al. 2020): the 2B views z = [z1; z2], logits = similarity(z, z) /
 * temperature with each anchor's similarity to itself ignored, and for anchor i the other view of
 * the same example as the positive; computed by {@link SoftmaxContrastive}. MEAN is over the 2B
 * anchors, as in document 004; NONE gives [2B] (the z1 anchors first).
 *
 * <p>Defaults: temperature 0.5 (document 004, SimCLR's CIFAR setting); cosine similarity (SimCLR
 * normalises the projections); the full [2B,2B] matrix ({@link #withChunkRows} computes it in row
 * blocks).
 */
public record NtXentLoss(float temperature, Distance distance, Reduction reduction, int chunkRows) {
  public NtXentLoss {
    Checks.positive("temperature", temperature);
    Checks.notNull("distance", distance);
    Checks.notNull("reduction", reduction);
    ChunkedContrastive.checkOption(chunkRows, reduction);
  }

  /** The full-matrix form. */
  public NtXentLoss(float temperature, Distance distance, Reduction reduction) {
    this(temperature, distance, reduction, 0);
  }

  public static NtXentLoss create() {
    return new NtXentLoss(0.5f, Distances.cosine(), Reduction.MEAN);
  }

  /** Must be > 0. */
  public NtXentLoss withTemperature(float temperature) {
    return new NtXentLoss(temperature, distance, reduction, chunkRows);
  }

  /** The similarity between views (a distance is negated). */
  public NtXentLoss withDistance(Distance distance) {
    return new NtXentLoss(temperature, distance, reduction, chunkRows);
  }

  public NtXentLoss withReduction(Reduction reduction) {
    return new NtXentLoss(temperature, distance, reduction, chunkRows);
  }

  /**
   * Computes the similarity matrix {@code chunkRows} anchors at a time, forward and backward, never
   * whole ({@link ChunkedContrastive}); 0 (the default) builds the full matrix. Needs a static batch
   * size and reduction MEAN or SUM.
   */
  public NtXentLoss withChunkRows(int chunkRows) {
    return new NtXentLoss(temperature, distance, reduction, chunkRows);
  }

  /** z1, z2 [B,D]: two views of the same B examples, row by row. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    Checks.pair("z1", z1, "z2", z2);
    Operand<TFloat32> z = tf.concat(List.of(z1, z2), tf.constant(0));
    Operand<TInt32> b = Tensors.size(tf, z1, 0);
    Operand<TInt32> twoB = tf.math.mul(b, tf.constant(2));
    ChunkedContrastive.Rows rows = (t, anchors, indices) -> {
      Operand<TFloat32> logits =
          t.math.div(distance.asSimilarity(t, distance.matrix(t, anchors, z)), t.constant(temperature));
      // anchor i < B pairs with i + B, anchor i >= B with i - B
      Operand<TInt32> partners = t.math.floorMod(t.math.add(indices, b), twoB);
      return SoftmaxContrastive.perAnchor(t, logits, SoftmaxContrastive.positivesAt(t, logits, partners),
          SoftmaxContrastive.positivesAt(t, logits, indices));
    };
    if (chunkRows == 0) {
      return reduction.reduce(tf, rows.perAnchor(tf, z, tf.range(tf.constant(0), twoB, tf.constant(1))));
    }
    ChunkedContrastive.Pass pass = new ChunkedContrastive.Pass("z1", z, rows);
    Operand<TFloat32> sum = ChunkedContrastive.sum(tf, chunkRows, List.of(z1, z2), List.of(pass));
    return ChunkedContrastive.reduce(tf, reduction, sum, ChunkedContrastive.staticRows(chunkRows, pass));
  }
}
