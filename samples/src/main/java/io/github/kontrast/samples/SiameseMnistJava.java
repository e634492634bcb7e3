package io.github.kontrast.samples;

import io.github.kontrast.dsl.data.Dataset;
import io.github.kontrast.dsl.data.LabeledImages;
import io.github.kontrast.dsl.data.Mnist;
import io.github.kontrast.dsl.data.PairDataset;
import io.github.kontrast.dsl.data.TrainTestImages;
import io.github.kontrast.dsl.data.ValidationSplit;
import io.github.kontrast.dsl.engine.History;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.dsl.pipeline.Pipeline;
import io.github.kontrast.dsl.pipeline.Siamese;
import io.github.kontrast.dsl.pipeline.SiameseModel;
import io.github.kontrast.losses.ContrastiveLoss;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.PairConvention;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Document 001's Siamese network built and trained from plain Java: ordinary classes and
 * builders, no Kotlin in sight. The same model as {@code siamese-mnist}. Training and evaluation
 * go through {@link Pipeline}, the base every method shares, so {@link #fitAndEvaluate} would
 * train a SimCLR or CLIP pipeline unchanged.
 */
public final class SiameseMnistJava {
  private SiameseMnistJava() {}

  /** Trains for {@code epochs} on the first {@code trainLimit} training images; returns test pair accuracy. */
  public static double train(int epochs, int batchSize, int trainLimit, long seed, boolean quiet) {
    return train(epochs, batchSize, trainLimit, seed, quiet, null);
  }

  /** As above; with {@code exportDir}, the trained encoder is also written there as a TensorFlow SavedModel. */
  public static double train(int epochs, int batchSize, int trainLimit, long seed, boolean quiet, Path exportDir) {
    TrainTestImages data = Mnist.load();
    LabeledImages images = trainLimit > 0 ? data.getTrain().take(trainLimit) : data.getTrain();
    ValidationSplit split = images.split(0.2);
    PairDataset trainPairs = PairDataset.generate(split.getTrain(), seed);
    PairDataset validationPairs = PairDataset.generate(split.getValidation(), seed + 1);
    PairDataset testPairs = PairDataset.generate(data.getTest(), seed + 2);

    Sequential twin = Sequential.builder()
        .conv2d(128, 2, Activations.relu).maxPool(2).dropout(0.4f)
        .conv2d(128, 2, Activations.relu).maxPool(2).dropout(0.4f)
        .conv2d(64, 2, Activations.relu).maxPool(2).dropout(0.4f)
        .globalAveragePooling()
        .dense(128)
        .build();

    try (SiameseModel model = Siamese.builder()
        // the settings every pipeline shares (PipelineBuilder); each returns the Siamese builder
        .seed(seed)
        .input(28, 28, 1)
        .encoder(twin)
        .optimizer(Optimizers.adam(1e-3))
        .quiet(quiet) // epoch lines without a progress bar
        // the Siamese pipeline's own: the loss (which owns its distance) and the pair threshold
        .loss(ContrastiveLoss.create()
            .withMargin(1f)
            .withConvention(PairConvention.ONE_MEANS_SIMILAR)
            .withHalfFactor(true) // document 001's 1/2; the library's default has none
            .withDistance(Distances.euclidean()))
        .threshold(0.5f)
        .build()) {
      Map<String, Double> test = fitAndEvaluate(model, trainPairs, validationPairs, testPairs, epochs, batchSize);
      System.out.printf(Locale.ROOT, "test pair accuracy: %.4f%n", test.get("pair_accuracy"));
      if (exportDir != null) {
        model.export(exportDir);
        System.out.printf(Locale.ROOT, "SavedModel written to %s (serving_default: image -> embedding)%n", exportDir);
      }
      return test.get("pair_accuracy");
    }
  }

  /** What every pipeline offers: summary, fit with validation, History, evaluate. */
  static Map<String, Double> fitAndEvaluate(Pipeline pipeline, Dataset train, Dataset validation, Dataset test, int epochs, int batchSize) {
    pipeline.summary();
    History history = pipeline.fit(train, validation, epochs, batchSize);
    System.out.printf(Locale.ROOT, "validation loss per epoch: %s%n", history.get("val_loss"));
    System.out.printf(Locale.ROOT, "median step %.1f ms, %.0f %s/s%n", history.stepMillisMedian(), history.examplesPerSecond(), history.getUnit());
    return pipeline.evaluate(test, batchSize);
  }
}
