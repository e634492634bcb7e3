package io.github.kontrast.dsl.engine;

import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.pipeline.ProjectionHeads;
import io.github.kontrast.dsl.pipeline.SimClr;
import io.github.kontrast.dsl.pipeline.SimClrModel;

/**
 * Session options from plain Java: an immutable {@link SessionConfig} through its withX methods,
 * handed to a pipeline builder. Compiled by javac, called from {@code SessionConfigSpec}.
 */
public final class JavaSessionUsage {
  private JavaSessionUsage() {}

  /** Every option set. */
  public static SessionConfig allOptions() {
    return SessionConfig.DEFAULT
        .withDevice("/GPU:0")
        .withAllowGrowth(true)
        .withVisibleDevices(0, 1)
        .withSoftPlacement(true)
        .withLogPlacement(true);
  }

  /** A SimCLR model on 8x8x1 images with {@code encoder} and {@code config} as its session's options. */
  public static SimClrModel simClr(Sequential encoder, SessionConfig config) {
    return SimClr.builder()
        .seed(1).input(8, 8, 1)
        .encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8))
        .verbosity(Verbosity.SILENT)
        .session(config)
        .build();
  }
}
