package io.github.kontrast.losses.distances;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.internal.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The distances and similarities the losses and miners use.
 *
 * <p>{@link #euclidean()} follows PyTorch's {@code pairwise_distance}: |a - b + 1e-6|, the epsilon
 * added to every component of the difference. Identical rows then sit at sqrt(D)*1e-6, not 0, so the
 * gradient of sqrt stays finite (1/sqrt(D) per component) instead of the NaN of sqrt at 0, and the
 * values match PyTorch to float precision (document 000's 2591.99 is 2591.9998 in both). Its
 * {@code matrix} form uses |a|^2 + |b|^2 - 2ab clamped at 1e-12 before the sqrt (memory O(NM), not
 * O(NMD)); both guards change a distance by at most about 1e-6.
 */
public final class Distances {
  private Distances() {}

  /** PyTorch's pairwise_distance epsilon (added to the difference). */
  public static final float EUCLIDEAN_EPS = 1e-6f;

  /** Euclidean distance with a finite gradient for identical rows (see the class comment). */
  public static Distance euclidean() {
    return EUCLIDEAN;
  }

  /** Squared Euclidean distance |a - b|^2 (smooth everywhere, no guard needed). */
  public static Distance squaredEuclidean() {
    return SQUARED_EUCLIDEAN;
  }

  /** Cosine similarity of the L2-normalised rows (a zero row has similarity 0 to everything). */
  public static Distance cosine() {
    return COSINE;
  }

  /** Dot product of the raw rows: a similarity. */
  public static Distance dot() {
    return DOT;
  }

  /** 1 - cosine similarity: a distance in [0, 2]. */
  public static Distance cosineDistance() {
    return COSINE_DISTANCE;
  }

  private static void checkPair(Operand<TFloat32> a, Operand<TFloat32> b) {
    Checks.pair("a", a, "b", b);
  }

  private static void checkMatrix(Operand<TFloat32> a, Operand<TFloat32> b) {
    Checks.rank("a", a, 2, "[N,D]");
    Checks.rank("b", b, 2, "[M,D]");
    Checks.sameDim("a", a, 1, "b", b, 1, "the embedding sizes D");
  }

  private static Operand<TFloat32> squaredMatrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    Operand<TFloat32> na = tf.expandDims(Tensors.sumLast(tf, tf.math.square(a)), tf.constant(1));
    Operand<TFloat32> nb = tf.expandDims(Tensors.sumLast(tf, tf.math.square(b)), tf.constant(0));
    Operand<TFloat32> cross = Tensors.matMulT(tf, a, b);
    // rounding can make |a|^2 + |b|^2 - 2ab slightly negative for equal rows
    return tf.math.maximum(
        tf.math.sub(tf.math.add(na, nb), tf.math.mul(tf.constant(2f), cross)), tf.constant(0f));
  }

  private abstract static class Base implements Distance {
    private final String name;
    private final boolean similarity;

    Base(String name, boolean similarity) {
      this.name = name;
      this.similarity = similarity;
    }

    @Override
    public boolean isSimilarity() {
      return similarity;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final Distance EUCLIDEAN =
      new Base("euclidean", false) {
        @Override
        public Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkPair(a, b);
          Operand<TFloat32> diff = tf.math.add(tf.math.sub(a, b), tf.constant(EUCLIDEAN_EPS));
          return tf.math.sqrt(Tensors.sumLast(tf, tf.math.square(diff)));
        }

        @Override
        public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkMatrix(a, b);
          return tf.math.sqrt(
              tf.math.maximum(squaredMatrix(tf, a, b), tf.constant(EUCLIDEAN_EPS * EUCLIDEAN_EPS)));
        }
      };

  private static final Distance SQUARED_EUCLIDEAN =
      new Base("squaredEuclidean", false) {
        @Override
        public Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkPair(a, b);
          return Tensors.sumLast(tf, tf.math.square(tf.math.sub(a, b)));
        }

        @Override
        public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkMatrix(a, b);
          return squaredMatrix(tf, a, b);
        }
      };

  private static final Distance COSINE =
      new Base("cosine", true) {
        @Override
        public Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkPair(a, b);
          return Tensors.sumLast(
              tf, tf.math.mul(Tensors.l2Normalize(tf, a), Tensors.l2Normalize(tf, b)));
        }

        @Override
        public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkMatrix(a, b);
          return Tensors.matMulT(tf, Tensors.l2Normalize(tf, a), Tensors.l2Normalize(tf, b));
        }
      };

  private static final Distance DOT =
      new Base("dot", true) {
        @Override
        public Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkPair(a, b);
          return Tensors.sumLast(tf, tf.math.mul(a, b));
        }

        @Override
        public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          checkMatrix(a, b);
          return Tensors.matMulT(tf, a, b);
        }
      };

  private static final Distance COSINE_DISTANCE =
      new Base("cosineDistance", false) {
        @Override
        public Operand<TFloat32> pairwise(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          return tf.math.sub(tf.constant(1f), COSINE.pairwise(tf, a, b));
        }

        @Override
        public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
          return tf.math.sub(tf.constant(1f), COSINE.matrix(tf, a, b));
        }
      };
}
