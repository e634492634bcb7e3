package io.github.kontrast.losses.internal;

import io.github.kontrast.losses.PairConvention;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Value checks that need the label values. They run where the values exist at build time: in eager
 * mode, and in a graph when the labels are a constant (evaluated once in a throwaway session). Fed
 * labels are unknown until the step runs and are not checked. Internal to the loss packages.
 */
public final class LabelChecks {
  private LabelChecks() {}

  /**
   * Fails when the labels hold anything but 0 and 1.
   *
   * @param raw the labels as the caller passed them (to see whether they are a constant)
   * @param asFloat the same labels cast to float, which is what is read
   */
  public static void zeroOrOne(
      Ops tf, String name, Operand<?> raw, Operand<TFloat32> asFloat, PairConvention convention) {
    if (tf.scope().env().isEager()) {
      check(name, asFloat, asFloat.asTensor(), convention);
    } else if ("Const".equals(raw.op().type()) && tf.scope().env() instanceof Graph graph) {
      try (Session session = new Session(graph);
          Result result = session.runner().fetch(asFloat).run()) {
        check(name, asFloat, (TFloat32) result.get(0), convention);
      }
    }
  }

  private static void check(String name, Operand<TFloat32> labels, TFloat32 t, PairConvention convention) {
    long n = t.size();
    FloatDataBuffer values = DataBuffers.ofFloats(n);
    t.copyTo(values);
    for (long i = 0; i < n; i++) {
      float v = values.getFloat(i);
      if (v != 0f && v != 1f) {
        throw new IllegalArgumentException(
            "argument '" + name + "' must hold 0 or 1 (" + convention + "), but element " + i
                + " is " + v + " (shape " + Checks.describe(labels.shape()) + ")");
      }
    }
  }
}
