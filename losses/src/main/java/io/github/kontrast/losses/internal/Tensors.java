package io.github.kontrast.losses.internal;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Small op compositions shared by the losses. Everything here uses only ops whose gradients the
 * TensorFlow C++ registry has (no SparseSoftmaxCrossEntropyWithLogits, EuclideanNorm or
 * MatrixDiagPart), so no custom gradient has to be registered. Internal to the loss packages.
 */
public final class Tensors {
  private Tensors() {}

  /** Guard of tf.math.l2_normalize: a zero row stays finite (and so does its gradient). */
  public static final float NORM_EPS_SQUARED = 1e-12f;

  /** Additive mask for logits that must not count (self-similarity); large but finite. */
  public static final float LARGE = 1e9f;

  private static Operand<TFloat32> f(Ops tf, float v) {
    return tf.constant(v);
  }

  public static Operand<TFloat32> toFloat(Ops tf, Operand<? extends TNumber> x) {
    if (x.type() == TFloat32.class) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> same = (Operand<TFloat32>) x;
      return same;
    }
    return tf.dtypes.cast(x, TFloat32.class);
  }

  /** Sum over the last axis of a rank-{@code rank} tensor, dropping it. */
  public static Operand<TFloat32> sumLast(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(-1));
  }

  /** Row-wise L2 normalisation x / sqrt(max(|x|^2, 1e-12)), as tf.math.l2_normalize. */
  public static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> sq = tf.reduceSum(tf.math.square(x), tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, f(tf, NORM_EPS_SQUARED))));
  }

  /** a b^T for [N,D], [M,D]. */
  public static Operand<TFloat32> matMulT(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.linalg.matMul(a, b, MatMul.transposeB(true));
  }

  /** The size of dimension {@code axis} as a TInt32 scalar (dynamic). */
  public static Operand<TInt32> size(Ops tf, Operand<?> x, int axis) {
    return tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0));
  }

  /** The [n,n] identity matrix for a dynamic n. */
  public static Operand<TFloat32> eye(Ops tf, Operand<TInt32> n) {
    return tf.oneHot(tf.range(tf.constant(0), n, tf.constant(1)), n, f(tf, 1f), f(tf, 0f));
  }

  /** Entries (rows[t], cols[t]) of a matrix [N,M]: [T], through a gather on the flattened matrix. */
  public static <T extends TType> Operand<T> entries(Ops tf, Operand<T> matrix, Operand<TInt32> rows, Operand<TInt32> cols) {
    Operand<T> flat = tf.reshape(matrix, tf.constant(new int[] {-1}));
    Operand<TInt32> at = tf.math.add(tf.math.mul(rows, size(tf, matrix, 1)), cols);
    return tf.gather(flat, at, tf.constant(0));
  }

  /** The coordinates of the non-zero entries of a 0/1 {@code mask}, one [T] column per axis, row-major. */
  public static java.util.List<Operand<TInt32>> nonZero(Ops tf, Operand<TFloat32> mask, int rank) {
    Operand<TInt64> where = tf.where(tf.math.greater(mask, tf.constant(0f))).index();
    java.util.List<Operand<TInt32>> columns = new java.util.ArrayList<>();
    for (int axis = 0; axis < rank; axis++) {
      columns.add(tf.dtypes.cast(tf.gather(where, tf.constant(axis), tf.constant(1)), TInt32.class));
    }
    return columns;
  }

  /** 1 where labels[i] == labels[j], as floats [B,B]; carries no gradient. */
  public static Operand<TFloat32> sameLabel(Ops tf, Operand<? extends TNumber> labels) {
    Operand<TFloat32> l = toFloat(tf, labels);
    Operand<TFloat32> col = tf.expandDims(l, tf.constant(1));
    Operand<TFloat32> row = tf.expandDims(l, tf.constant(0));
    return tf.stopGradient(tf.dtypes.cast(tf.math.equal(col, row), TFloat32.class));
  }
}
