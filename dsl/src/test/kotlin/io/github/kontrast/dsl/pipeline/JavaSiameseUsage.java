package io.github.kontrast.dsl.pipeline;

import io.github.kontrast.dsl.data.Dataset;
import io.github.kontrast.dsl.data.FloatHostArray;
import io.github.kontrast.dsl.engine.EarlyStopping;
import io.github.kontrast.dsl.engine.History;
import io.github.kontrast.dsl.engine.Verbosity;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.ModelSummary;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.losses.ContrastiveLoss;
import io.github.kontrast.losses.PairConvention;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Siamese pipeline from plain Java: builders and ordinary calls only, no Kotlin-only
 * features. Compiled by javac, called from {@code JavaApiSpec}.
 */
public final class JavaSiameseUsage {
  private JavaSiameseUsage() {}

  /** Builds the same tiny model as SiameseSpec's, trains it, exports it to {@code exportDir}, and returns what came out. */
  public static Map<String, Object> run(Dataset train, Dataset validation, Path exportDir) {
    Sequential twin = Sequential.builder()
        .name("siamese_twin")
        .conv2d(8, 2, Activations.relu).maxPool(2).dropout(0.2f)
        .flatten().dense(8)
        .build();
    try (SiameseModel model = Siamese.builder()
        .seed(42)
        .input(6, 6, 1)
        .encoder(twin)
        .loss(ContrastiveLoss.create().withMargin(1f).withConvention(PairConvention.ONE_MEANS_SIMILAR).withHalfFactor(true))
        .optimizer(Optimizers.adam(1e-2))
        .threshold(0.5f)
        .verbosity(Verbosity.SILENT)
        .build()) {
      Pipeline pipeline = model; // what every method shares
      ModelSummary summary = pipeline.summary(false);
      History history = pipeline.fit(train, validation, 2, 32, List.of(new EarlyStopping("val_loss", 3)), null);
      Map<String, Double> test = pipeline.evaluate(validation, 64);
      float[] distances = model.predict(validation).getData();
      FloatHostArray embeddings = pipeline.embed(validation);
      pipeline.export(exportDir);
      return Map.of(
          "params", summary.getTotalParams(),
          "loss", history.get("loss"),
          "val_pair_accuracy", history.get("val_pair_accuracy"),
          "test", test,
          "distances", distances.length,
          "embedding_shape", List.of(embeddings.getShape()[0], embeddings.getShape()[1]),
          "unit", history.getUnit(),
          "steps", pipeline.getStep(),
          // the factories are static methods for Java: one definition shared with Kotlin's adam(...)
          "optimizers", List.of(Optimizers.sgd().describe(), Optimizers.adam().describe(), Optimizers.lars(0.3).describe()));
    }
  }
}
