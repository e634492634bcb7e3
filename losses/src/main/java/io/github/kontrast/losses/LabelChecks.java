package io.github.kontrast.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Value checks that need the label values. They run only where the values exist at build time
 * (eager mode); in a graph the labels are usually fed, so they are unknown until the step runs.
 */
final class LabelChecks {
  private LabelChecks() {}

  /** Fails when an eager label tensor holds anything but 0 and 1. */
  static void zeroOrOne(Ops tf, String name, Operand<TFloat32> labels, PairConvention convention) {
    if (!tf.scope().env().isEager()) {
      return;
    }
    TFloat32 t = labels.asTensor();
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
