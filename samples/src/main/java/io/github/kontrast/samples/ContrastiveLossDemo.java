package io.github.kontrast.samples;

import io.github.kontrast.losses.ContrastiveLoss;
import io.github.kontrast.losses.PairConvention;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Document 000 (margin contrastive loss, Hadsell 2006, as a blog post implements it in PyTorch):
 * flag 0 means "same", margin 2.0, no 1/2 factor, one flag for the whole batch. Written in plain
 * Java to show the loss core needs no Kotlin.
 */
public final class ContrastiveLossDemo {
  private ContrastiveLossDemo() {}

  /** The four losses the document prints, in its order. */
  public static float[] documentValues() {
    // the document's convention: 0 = same, 1 = different; squared distance, no 1/2
    ContrastiveLoss loss = ContrastiveLoss.create()
        .withMargin(2.0f)
        .withConvention(PairConvention.ONE_MEANS_DISSIMILAR)
        .withHalfFactor(false);
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      Operand<TFloat32> y1 = tf.constant(new float[][] {{1f, 2f, 3f}, {3f, 4f, 5f}});
      Operand<TFloat32> y2 = tf.constant(new float[][] {{1f, 2f, 3f}, {3f, 4f, 5f}});
      Operand<TFloat32> y3 = tf.constant(new float[][] {{10f, 20f, 30f}, {30f, 40f, 50f}});
      Operand<TFloat32> same = tf.constant(0f);
      Operand<TFloat32> different = tf.constant(1f);
      return new float[] {
        value(loss.call(tf, y1, y2, same)),
        value(loss.call(tf, y1, y2, different)),
        value(loss.call(tf, y1, y3, same)),
        value(loss.call(tf, y1, y3, different)),
      };
    }
  }

  private static float value(Operand<TFloat32> scalar) {
    return scalar.asTensor().getFloat();
  }

  /** Prints the values next to the document's. */
  public static int run() {
    String[] cases = {"y1, y2, flag 0 (same, and they are)", "y1, y2, flag 1 (should differ, they don't)",
        "y1, y3, flag 0 (should be same, far apart)", "y1, y3, flag 1 (should differ, and they do)"};
    String[] printed = {"0.0", "4.0", "2591.99", "0.0"};
    float[] values = documentValues();
    System.out.println("Document 000: margin contrastive loss, margin 2.0, flag 0 = same, no 1/2 factor\n");
    System.out.printf("%-46s %12s %12s%n", "case", "Kontrast", "document");
    for (int i = 0; i < values.length; i++) {
      System.out.printf("%-46s %12.4f %12s%n", cases[i], values[i], printed[i]);
    }
    System.out.println("\nThe third value is just under 2592 (the mean of 1134 and 4050) because PyTorch's"
        + "\npairwise_distance adds eps = 1e-6 to each difference, and so does Distances.euclidean(),"
        + "\nwhich keeps the gradient finite for identical pairs; the document's comment truncates it to 2591.99.");
    return 0;
  }
}
