package io.github.kontrast.losses.internal;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;

/**
 * Graph-build-time validation of static shapes and option values. Unknown dimensions (-1) are
 * never rejected: they can only be checked when the graph runs. Internal to the loss packages:
 * public only because Java has no visibility between a package and its subpackages.
 */
public final class Checks {
  private Checks() {}

  public static String describe(Shape shape) {
    return shape.isUnknown() ? "<unknown rank>" : shape.toString();
  }

  /** Fails unless {@code x} has the given rank (when its rank is known). */
  public static void rank(String name, Operand<?> x, int rank, String layout) {
    Shape s = x.shape();
    if (!s.isUnknown() && s.numDimensions() != rank) {
      throw new IllegalArgumentException(
          "argument '" + name + "' must have rank " + rank + " " + layout + " but has shape " + describe(s));
    }
  }

  /** Fails unless dimension {@code dimA} of {@code a} equals dimension {@code dimB} of {@code b}. */
  public static void sameDim(String nameA, Operand<?> a, int dimA, String nameB, Operand<?> b, int dimB, String what) {
    long sa = dim(a, dimA);
    long sb = dim(b, dimB);
    if (sa >= 0 && sb >= 0 && sa != sb) {
      throw new IllegalArgumentException(
          what + " of '" + nameA + "' and '" + nameB + "' must match, but '" + nameA + "' has shape "
              + describe(a.shape()) + " and '" + nameB + "' has shape " + describe(b.shape()));
    }
  }

  /** Fails unless {@code a} and {@code b} have the same static shape (unknown dimensions pass). */
  public static void sameShape(String nameA, Operand<?> a, String nameB, Operand<?> b) {
    Shape sa = a.shape();
    Shape sb = b.shape();
    if (sa.isUnknown() || sb.isUnknown()) {
      return;
    }
    boolean ok = sa.numDimensions() == sb.numDimensions();
    for (int i = 0; ok && i < sa.numDimensions(); i++) {
      long x = sa.size(i);
      long y = sb.size(i);
      ok = x < 0 || y < 0 || x == y;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "arguments '" + nameA + "' and '" + nameB + "' must have the same shape, but '" + nameA
              + "' has shape " + describe(sa) + " and '" + nameB + "' has shape " + describe(sb));
    }
  }

  /** Fails when the leading (batch) dimension is statically 0. */
  public static void nonEmpty(String name, Operand<?> x) {
    if (dim(x, 0) == 0) {
      throw new IllegalArgumentException(
          "argument '" + name + "' is an empty batch: shape " + describe(x.shape()) + " has 0 rows");
    }
  }

  /** Rank-2 [B,D], non-empty. */
  public static void matrix(String name, Operand<?> x) {
    rank(name, x, 2, "[B,D]");
    nonEmpty(name, x);
  }

  /** Rank-2 inputs of the same shape, non-empty: the usual pair of embedding batches. */
  public static void pair(String nameA, Operand<?> a, String nameB, Operand<?> b) {
    matrix(nameA, a);
    matrix(nameB, b);
    sameShape(nameA, a, nameB, b);
  }

  /** Embeddings [B,D] (non-empty) with one integer class label per row, [B]. */
  public static void labelled(String name, Operand<?> x, Operand<?> labels) {
    matrix(name, x);
    notNull("labels", labels);
    rank("labels", labels, 1, "[B]");
    sameDim("labels", labels, 0, name, x, 0, "the batch sizes B");
  }

  /** The static size of dimension {@code i}, or -1 when unknown. */
  public static long dim(Operand<?> x, int i) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() <= i) {
      return -1;
    }
    return s.size(i);
  }

  public static float positive(String name, float value) {
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  public static float nonNegative(String name, float value) {
    if (!(value >= 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
