package io.github.kontrast.dsl.pipeline;

import io.github.kontrast.dsl.engine.Verbosity;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;

/**
 * The loss-form settings from plain Java: a static batch size and an explicit block size on the
 * SimCLR builder. Compiled by javac, called from {@code LossFormSpec}.
 */
public final class JavaLossFormUsage {
  private JavaLossFormUsage() {}

  /** SimCLR on 8x8x1 images (plain SGD, so one update is a fixed multiple of the gradient), built for batches of {@code batchSize} with the loss in blocks of {@code rows}. */
  public static SimClrModel chunkedSimClr(Sequential encoder, int batchSize, int rows) {
    return SimClr.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8))
        .optimizer(Optimizers.sgd(0.5))
        .verbosity(Verbosity.SILENT)
        .batchSize(batchSize)
        .chunkRows(rows)
        .build();
  }

  /** The same with the full matrix forced. */
  public static SimClrModel fullSimClr(Sequential encoder, int batchSize) {
    return SimClr.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8))
        .optimizer(Optimizers.sgd(0.5))
        .verbosity(Verbosity.SILENT)
        .batchSize(batchSize)
        .fullMatrix()
        .build();
  }
}
