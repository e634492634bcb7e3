package io.github.kontrast.losses;

import io.github.kontrast.losses.internal.Checks;
import io.github.kontrast.losses.reducers.Reduction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The row-block form of the {@link SoftmaxContrastive} losses, for batches whose N x M similarity
 * matrix does not fit: the anchors are taken {@code chunkRows} at a time, each block builds only
 * its own [rows, M] logits, and neither the forward nor the backward pass ever holds the whole
 * matrix. What a loss computes per anchor is unchanged: the blocks call the same per-anchor code as
 * the full form, so value and gradient are the same up to float rounding.
 *
 * <p>Why the gradient is computed inside the forward graph. A plain loop of blocks does not save
 * memory in graph mode: the backward pass of block b needs that block's softmax, so every block's
 * intermediates stay alive until the backward pass runs, which is the whole matrix again. TF Java
 * 1.1.0 has no per-call custom gradient (only {@code TensorFlow.registerCustomGradient}, per op
 * type), and gradients of a functional while loop are not in the C++ registry. So each block's
 * gradient with respect to the loss inputs is built right after the block, with {@code
 * tf.gradients} on the block's own sum, and the next block starts only once it is done (a control
 * dependency): at any time one block's [rows, M] tensors are alive, plus the running sums of the
 * value and of the gradients (the size of the inputs). The result is attached with the stop-gradient
 * identity
 *
 * <pre>
 *   L' = stopGradient(L) + (G - stopGradient(G)),   G = sum_i sum(stopGradient(g_i) * x_i)
 * </pre>
 *
 * whose value is L (G - G is exactly 0) and whose gradient with respect to input x_i is g_i, so an
 * optimizer's {@code tf.gradients} over the whole model goes through the embeddings unchanged. The
 * cost: the gradient is computed whenever the loss is, even when only the value is fetched.
 *
 * <p>The number of blocks is fixed when the graph is built, so the anchors' batch size must be
 * static. Eagerly (no gradients there) only the values are summed, block by block.
 */
public final class ChunkedContrastive {
  private ChunkedContrastive() {}

  /** Per-anchor losses [rows] of the anchors {@code anchors} [rows,D], whose batch indices are {@code rows} [rows]. */
  @FunctionalInterface
  public interface Rows {
    Operand<TFloat32> perAnchor(Ops tf, Operand<TFloat32> anchors, Operand<TInt32> indices);
  }

  /**
   * One sweep of row blocks over {@code anchors} [N,D]; {@code name} is the argument the anchors
   * come from, for error messages.
   */
  public record Pass(String name, Operand<TFloat32> anchors, Rows rows) {
    public Pass {
      Checks.notNull("name", name);
      Checks.notNull("anchors", anchors);
      Checks.notNull("rows", rows);
    }
  }

  /**
   * Fails unless {@code chunkRows} is 0 (the full matrix) or positive, and unless a chunked loss
   * reduces to one number: its gradient is computed block by block for that number, so a
   * per-anchor vector (NONE) has none to give.
   */
  public static int checkOption(int chunkRows, Reduction reduction) {
    if (chunkRows < 0) {
      throw new IllegalArgumentException(
          "chunkRows must be >= 0 (0 = the full similarity matrix), got " + chunkRows);
    }
    if (chunkRows > 0 && reduction == Reduction.NONE) {
      throw new IllegalArgumentException(
          "chunkRows = " + chunkRows + " needs reduction MEAN or SUM (a chunked loss returns one number), got NONE");
    }
    return chunkRows;
  }

  /** The static number of anchors of {@code pass}; fails when it is unknown. */
  public static long staticRows(int chunkRows, Pass pass) {
    long n = Checks.dim(pass.anchors(), 0);
    if (n < 0) {
      throw new IllegalArgumentException(
          "chunkRows = " + chunkRows + " needs a static batch size, but argument '" + pass.name() + "' has shape "
              + Checks.describe(pass.anchors().shape()));
    }
    return n;
  }

  /**
   * The sum over every pass and every anchor of the per-anchor losses, computed {@code chunkRows}
   * anchors at a time; in a graph, its gradient with respect to each of {@code inputs} is the
   * block-by-block gradient (see the class comment). {@code inputs} are every float tensor the
   * passes read that can carry a gradient (embeddings, a learnable logit scale).
   */
  public static Operand<TFloat32> sum(Ops tf, int chunkRows, List<Operand<TFloat32>> inputs, List<Pass> passes) {
    Checks.atLeast("chunkRows", chunkRows, 1);
    boolean graph = tf.scope().env().isGraph();
    Operand<TFloat32> total = null;
    List<Operand<TFloat32>> grads = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      grads.add(null);
    }
    List<Operation> previous = List.of();
    for (Pass pass : passes) {
      long n = staticRows(chunkRows, pass);
      for (long start = 0; start < n; start += chunkRows) {
        int rows = (int) Math.min(chunkRows, n - start);
        // each block waits for the previous block's gradients, so blocks never overlap in memory
        Ops block = previous.isEmpty() ? tf : tf.withControlDependencyOps(previous);
        int[] indices = new int[rows];
        for (int k = 0; k < rows; k++) {
          indices[k] = (int) start + k;
        }
        Operand<TFloat32> anchors = slice(block, pass.anchors(), start, rows);
        Operand<TFloat32> perAnchor = pass.rows().perAnchor(block, anchors, block.constant(indices));
        Operand<TFloat32> blockSum = block.reduceSum(perAnchor, block.constant(0));
        total = total == null ? blockSum : tf.math.add(total, blockSum);
        if (!graph) {
          continue;
        }
        // tf.gradients fails on an input the block cannot reach at all: ask only for the others
        List<Integer> read = reachable(blockSum, inputs);
        if (read.isEmpty()) {
          continue;
        }
        Gradients g = tf.gradients(blockSum, read.stream().map(inputs::get).toList());
        List<Operation> done = new ArrayList<>();
        for (int k = 0; k < read.size(); k++) {
          int i = read.get(k);
          Output<TFloat32> dy = g.dy(k);
          if (!connected(dy)) {
            continue; // this block reads input i only through a stop-gradient
          }
          grads.set(i, grads.get(i) == null ? dy : tf.math.add(grads.get(i), dy));
          done.add(grads.get(i).op());
        }
        if (!done.isEmpty()) {
          previous = done;
        }
      }
    }
    if (total == null) {
      throw new IllegalArgumentException("chunkRows = " + chunkRows + ": no anchors to sum, every pass has 0 rows ("
          + passes.stream().map(Pass::name).toList() + ")");
    }
    if (!graph) {
      return total;
    }
    Operand<TFloat32> linear = null;
    for (int i = 0; i < inputs.size(); i++) {
      if (grads.get(i) == null) {
        continue;
      }
      Operand<TFloat32> x = inputs.get(i);
      Operand<TFloat32> term = tf.reduceSum(
          tf.math.mul(tf.stopGradient(grads.get(i)), x), tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
      linear = linear == null ? term : tf.math.add(linear, term);
    }
    Operand<TFloat32> value = tf.stopGradient(total);
    return linear == null ? value : tf.math.add(value, tf.math.sub(linear, tf.stopGradient(linear)));
  }

  /** Logits [rows,M] of a block of anchors [rows,D]. */
  @FunctionalInterface
  public interface Logits {
    Operand<TFloat32> of(Ops tf, Operand<TFloat32> anchors);
  }

  /**
   * log sum_i exp(logits_ij) over the N rows, for each column j: [M], computed {@code chunkRows}
   * rows of {@code anchors} [N,D] at a time with a running maximum and sum, one block after the
   * other. It carries no gradient: a loss that needs the column softmax exp(logits_ij - lse_j) in
   * its gradient builds it per block from this (CLIP's text-to-image direction).
   */
  public static Operand<TFloat32> columnLogSumExp(
      Ops tf, int chunkRows, String name, Operand<TFloat32> anchors, Logits logits) {
    Checks.atLeast("chunkRows", chunkRows, 1);
    long n = staticRows(chunkRows, new Pass(name, anchors, (t, a, i) -> a));
    boolean graph = tf.scope().env().isGraph();
    Operand<TFloat32> max = null;
    Operand<TFloat32> sum = null;
    for (long start = 0; start < n; start += chunkRows) {
      int rows = (int) Math.min(chunkRows, n - start);
      Ops block = !graph || max == null ? tf : tf.withControlDependencyOps(List.of(max.op(), sum.op()));
      Operand<TFloat32> l = block.stopGradient(logits.of(block, slice(block, anchors, start, rows)));
      Operand<TFloat32> blockMax = block.reduceMax(l, block.constant(0));
      Operand<TFloat32> newMax = max == null ? blockMax : block.math.maximum(max, blockMax);
      Operand<TFloat32> blockSum = block.reduceSum(block.math.exp(block.math.sub(l, newMax)), block.constant(0));
      sum = sum == null ? blockSum : block.math.add(block.math.mul(sum, block.math.exp(block.math.sub(max, newMax))), blockSum);
      max = newMax;
    }
    return tf.math.add(max, tf.math.log(sum));
  }

  /** Rows [start, start + rows) of x; int32 bounds, as the C++ gradient of Slice fails on int64 ones. */
  private static Operand<TFloat32> slice(Ops tf, Operand<TFloat32> x, long start, int rows) {
    return tf.slice(x, tf.constant(new int[] {(int) start, 0}), tf.constant(new int[] {rows, -1}));
  }

  /**
   * The indices of {@code inputs} that {@code y} reads, following data edges back from y and
   * stopping at the inputs themselves.
   */
  private static List<Integer> reachable(Operand<TFloat32> y, List<Operand<TFloat32>> inputs) {
    Map<Output<?>, List<Integer>> wanted = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      wanted.computeIfAbsent(inputs.get(i).asOutput(), o -> new ArrayList<>()).add(i);
    }
    Set<Operation> seen = new HashSet<>();
    Deque<Operation> todo = new ArrayDeque<>(List.of(y.op()));
    SortedSet<Integer> found = new TreeSet<>();
    while (!todo.isEmpty()) {
      Operation op = todo.pop();
      if (!seen.add(op)) {
        continue;
      }
      for (Operand<?> in : ((GraphOperation) op).inputs()) {
        List<Integer> hit = wanted.get(in.asOutput());
        if (hit != null) {
          found.addAll(hit);
        } else {
          todo.push(in.op());
        }
      }
    }
    return new ArrayList<>(found);
  }

  /** TF Java gives a gradient output without an operation for an input the loss does not reach. */
  private static boolean connected(Output<?> dy) {
    try {
      dy.dataType();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** {@code sum} over the anchors reduced as {@code reduction} asks: MEAN divides by {@code count}. */
  static Operand<TFloat32> reduce(Ops tf, Reduction reduction, Operand<TFloat32> sum, long count) {
    return reduction == Reduction.MEAN ? tf.math.div(sum, tf.constant((float) count)) : sum;
  }
}
