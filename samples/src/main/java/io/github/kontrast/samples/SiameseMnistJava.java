package io.github.kontrast.samples;

import io.github.kontrast.dsl.data.LabeledImages;
import io.github.kontrast.dsl.data.Mnist;
import io.github.kontrast.dsl.data.PairDataset;
import io.github.kontrast.dsl.data.TrainTestImages;
import io.github.kontrast.dsl.data.ValidationSplit;
import io.github.kontrast.dsl.engine.History;
import io.github.kontrast.dsl.layers.Activations;
import io.github.kontrast.dsl.layers.Sequential;
import io.github.kontrast.dsl.optim.Optimizers;
import io.github.kontrast.dsl.pipeline.Siamese;
import io.github.kontrast.dsl.pipeline.SiameseModel;
import io.github.kontrast.losses.ContrastiveLoss;
import io.github.kontrast.losses.distances.Distances;
import io.github.kontrast.losses.PairConvention;
import java.util.Locale;
import java.util.Map;

/**
 * Document 001's Siamese network built and trained from plain Java: ordinary classes and
 * builders, no Kotlin in sight. The same model as {@code siamese-mnist}.
 */
public final class SiameseMnistJava {
  private SiameseMnistJava() {}

  /** Trains for {@code epochs} on the first {@code trainLimit} training images; returns test pair accuracy. */
  public static double train(int epochs, int batchSize, int trainLimit, long seed, boolean quiet) {
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
        .seed(seed)
        .input(28, 28, 1)
        .encoder(twin)
        .distance(Distances.euclidean())
        .loss(ContrastiveLoss.create()
            .withMargin(1f)
            .withConvention(PairConvention.ONE_MEANS_SIMILAR)
            .withHalfFactor(true))
        .optimizer(Optimizers.adam(1e-3))
        .threshold(0.5f)
        .quiet(quiet)
        .build()) {
      model.summary();
      History history = model.fit(trainPairs, validationPairs, epochs, batchSize);
      Map<String, Double> test = model.evaluate(testPairs, batchSize);
      System.out.printf(Locale.ROOT, "validation loss per epoch: %s%n", history.get("val_loss"));
      System.out.printf(Locale.ROOT, "test pair accuracy: %.4f%n", test.get("pair_accuracy"));
      return test.get("pair_accuracy");
    }
  }
}
