package io.github.kontrast.dsl.pipeline;

import io.github.kontrast.dsl.data.Dataset;
import io.github.kontrast.dsl.data.FloatHostArray;
import io.github.kontrast.dsl.engine.Verbosity;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.dsl.optim.Schedules;
import io.github.kontrast.losses.NtXentLoss;
import io.github.kontrast.losses.SupConLoss;
import io.github.kontrast.losses.SwavLoss;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five self-supervised pipelines from plain Java: builders and ordinary calls only. Compiled
 * by javac, called from {@code JavaSelfSupervisedSpec}.
 */
public final class JavaSelfSupervisedUsage {
  private JavaSelfSupervisedUsage() {}

  /**
   * Trains each method for two epochs on {@code views} (batches with view1, view2 and class),
   * exports the SimCLR encoder to {@code exportDir}, and returns each method's losses, SimCLR's
   * embedding of {@code images} and its summary's parameter count.
   */
  public static Map<String, Object> run(Dataset views, FloatHostArray images, Path exportDir) {
    Sequential encoder = Sequential.builder()
        .name("encoder")
        .conv2d(4, 3, Activations.relu).maxPool(2)
        .flatten().dense(16, Activations.relu)
        .build();
    Map<String, Object> out = new LinkedHashMap<>();
    try (SimClrModel m = SimClr.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8))
        .loss(NtXentLoss.create().withTemperature(0.5f))
        .optimizer(Optimizers.adam(1e-2))
        .verbosity(Verbosity.SILENT)
        .build()) {
      out.put("simclr", m.fit(views, null, 2, 32).get("loss"));
      out.put("simclr_params", m.summary(false).getTotalParams());
      out.put("simclr_embedding", m.embed(images));
      m.export(exportDir);
    }
    try (MocoV3Model m = MocoV3.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8, 2, true))
        .predictor(ProjectionHeads.mlp(16, 8, 2, true, false, "predictor"))
        .queueSize(32)
        .trainingSteps(8)
        .verbosity(Verbosity.SILENT)
        .build()) {
      out.put("moco", m.fit(views, null, 2, 32).get("loss"));
    }
    try (SimSiamModel m = SimSiam.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 16, 2, true, true))
        .predictor(ProjectionHeads.mlp(4, 16, 2, true, false, "predictor"))
        .stopGradient(true)
        .verbosity(Verbosity.SILENT)
        .build()) {
      out.put("simsiam", m.fit(views, null, 2, 32).get("loss"));
    }
    try (SwavModel m = Swav.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .projector(ProjectionHeads.mlp(16, 8, 2, true))
        .prototypes(6)
        .loss(SwavLoss.create().withTemperature(0.1f))
        .verbosity(Verbosity.SILENT)
        .build()) {
      out.put("swav", m.fit(views, null, 2, 32).get("loss"));
    }
    try (SupConModel m = SupCon.builder()
        .seed(3).input(8, 8, 1).encoder(encoder)
        .loss(SupConLoss.create().withTemperature(0.1f))
        .optimizer(Optimizers.adam(Schedules.warmupCosine(1e-2, 2, 8)))
        .verbosity(Verbosity.SILENT)
        .build()) {
      out.put("supcon", m.fit(views, null, 2, 32).get("loss"));
    }
    return out;
  }
}
