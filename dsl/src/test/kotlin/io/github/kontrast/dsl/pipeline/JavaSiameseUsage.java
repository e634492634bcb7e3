package io.github.kontrast.dsl.pipeline;

import io.github.kontrast.dsl.data.Dataset;
import io.github.kontrast.dsl.engine.EarlyStopping;
import io.github.kontrast.dsl.engine.History;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.ModelSummary;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.losses.ContrastiveLoss;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.PairConvention;
import java.util.List;
import java.util.Map;

/**
 * The Siamese pipeline from plain Java: builders and ordinary calls only, no Kotlin-only
 * features. Compiled by javac, called from {@code JavaApiSpec}.
 */
public final class JavaSiameseUsage {
  private JavaSiameseUsage() {}

  /** Builds the same tiny model as SiameseSpec's, trains it, and returns what came out. */
  public static Map<String, Object> run(Dataset train, Dataset validation) {
    Sequential twin = Sequential.builder()
        .name("siamese_twin")
        .conv2d(8, 2, Activations.relu).maxPool(2).dropout(0.2f)
        .flatten().dense(8)
        .build();
    try (SiameseModel model = Siamese.builder()
        .seed(42)
        .input(6, 6, 1)
        .encoder(twin)
        .distance(Distances.euclidean())
        .loss(ContrastiveLoss.create().withMargin(1f).withConvention(PairConvention.ONE_MEANS_SIMILAR).withHalfFactor(true))
        .optimizer(Optimizers.adam(1e-2))
        .threshold(0.5f)
        .quiet(true)
        .build()) {
      ModelSummary summary = model.summary(false);
      History history = model.fit(train, validation, 2, 32, List.of(new EarlyStopping("val_loss", 3)), null);
      Map<String, Double> test = model.evaluate(validation, 64);
      float[] distances = model.predict(validation).getData();
      return Map.of(
          "params", summary.getTotalParams(),
          "loss", history.get("loss"),
          "val_pair_accuracy", history.get("val_pair_accuracy"),
          "test", test,
          "distances", distances.length);
    }
  }
}
