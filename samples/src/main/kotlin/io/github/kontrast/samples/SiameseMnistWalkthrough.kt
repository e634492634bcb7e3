package io.github.kontrast.samples

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.pipeline.SiameseModel
import io.github.kontrast.dsl.siamese
import io.github.kontrast.dsl.plot.Plots
import io.github.kontrast.dsl.plot.pairsGrid
import io.github.kontrast.dsl.plot.plot
import io.github.kontrast.losses.PairConvention
import org.jetbrains.letsPlot.Figure
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Locale

/**
 * `./kontrast siamese-mnist`: document 001 end to end. MNIST, the first 20% of the training images
 * for validation, one positive and one negative partner per image, the document's CNN twin,
 * Euclidean distance, contrastive loss with label 1 = similar, 1/2 factors and margin 1, Adam
 * 1e-3, 5 epochs at batch 64; accuracy counts a pair as similar when its distance is below 0.5.
 */
object SiameseMnistWalkthrough : Walkthrough {
  override val name = "siamese-mnist"
  override val summary = "document 001: a Siamese CNN trained on MNIST pairs with the contrastive loss"
  override val options = linkedMapOf(
    "--epochs N" to "epochs to train (default 5, as the document)",
    "--batch-size N" to "pairs per step (default 64, as the document)",
    "--train-limit N" to "use only the first N training images, before the validation split",
    "--data DIR" to "where to look for MNIST first (then KONTRAST_DATA, ~/.kontrast/datasets, ~/.keras/datasets)",
    "--out DIR" to "where results go (default out/siamese-mnist)",
    "--seed N" to "seed for pairs, initial weights, dropout and shuffling (default 42)",
    "--min-accuracy X" to "exit with status 1 when test pair accuracy is below X (for CI)",
    "--no-download" to "never download mnist.npz; use what is found, else the shipped subset",
    "--quiet" to "no progress bar, only the epoch lines",
    "--export DIR" to "after training, write the encoder there as a TensorFlow SavedModel (serving_default: image -> embedding)",
  )

  override fun run(args: Args): Int {
    val epochs = args.int("epochs", 5)
    val batchSize = args.int("batch-size", 64)
    val seed = args.int("seed", 42, min = 0).toLong()
    val out = Paths.get(args.string("out") ?: "out/siamese-mnist")
    val minAccuracy = args.double("min-accuracy", 0.0)
    Files.createDirectories(out)

    // Step 3 of the document: load, split off the first 20% for validation, preprocess to [0, 1]
    val data = Mnist.load(args.string("data")?.let { Paths.get(it) }, download = !args.flag("no-download"))
    val limited = args.string("train-limit")?.let { data.train.take(args.int("train-limit", 0)) } ?: data.train
    val (train, validation) = limited.split(0.2)
    println("Dataset: ${data.source}")
    println("Train: ${train.size}\nValidation: ${validation.size}\nTest: ${data.test.size}")

    // Step 4: one positive and one negative partner per image, shuffled
    val trainPairs = train.pairs(seed)
    val validationPairs = validation.pairs(seed + 1)
    val testPairs = data.test.pairs(seed + 2)
    println("Pairs: ${trainPairs.size} training, ${validationPairs.size} validation, ${testPairs.size} test\n")
    save(pairsGrid(trainPairs.head(6)), out.resolve("training-pairs"))

    // Steps 5-7: the twin, the distance, the loss (label 1 = similar, 1/2 factors, margin 1)
    siameseModel(seed, args.flag("quiet")).use { model ->
      model.summary()

      // Step 8: train with validation
      val started = System.nanoTime()
      val history = model.fit(trainPairs, validationPairs, epochs = epochs, batchSize = batchSize, checkpoint = out.resolve("checkpoint.ktck"))
      val seconds = (System.nanoTime() - started) / 1e9

      // Step 9: the loss curves, the test accuracy, and predictions shown as display_pairs does
      save(history.plot(), out.resolve("history"))
      val test = model.evaluate(testPairs, batchSize)
      val accuracy = test.getValue("pair_accuracy")
      val shown = testPairs.head(6)
      val predicted = model.predictSimilar(model.predict(ArrayDataset(shown.arrays), batchSize))
      save(pairsGrid(shown, predictions = FloatArray(predicted.size) { if (predicted[it]) 1f else 0f }), out.resolve("pairs"))

      println(String.format(Locale.ROOT, "\nTest: loss %.4f, pair accuracy %.4f", test.getValue("loss"), accuracy))
      println(String.format(Locale.ROOT, "Step time: median %.1f ms, %.0f pairs/s; %.0f s in all", history.stepMillisMedian(), history.examplesPerSecond(), seconds))
      writeMetrics(out, history, test, data.source, epochs, batchSize, trainPairs.size, seconds)
      println("Results in $out: metrics.json, history.svg/.png, pairs.svg/.png, training-pairs.svg/.png, checkpoint.ktck")
      args.string("export")?.let { dir ->
        model.export(Paths.get(dir))
        val input = model.inputShape.joinToString(", ")
        println("SavedModel in $dir: signature serving_default, input 'image' (float32, [N, $input], pixels in [0, 1]), output 'embedding' (float32, [N, ${model.embeddingShape[0]}])")
      }

      if (accuracy < minAccuracy) {
        System.err.println(String.format(Locale.ROOT, "siamese-mnist: test pair accuracy %.4f is below --min-accuracy %.4f", accuracy, minAccuracy))
        return 1
      }
    }
    return 0
  }

  /** Document 001's network, as the DSL writes it. */
  fun siameseModel(seed: Long, quiet: Boolean): SiameseModel = siamese {
    this.seed = seed
    this.quiet = quiet
    input(28, 28, 1)
    encoder {
      conv2d(128, 2, activation = relu)
      maxPool(2)
      dropout(0.4)
      conv2d(128, 2, activation = relu)
      maxPool(2)
      dropout(0.4)
      conv2d(64, 2, activation = relu)
      maxPool(2)
      dropout(0.4)
      globalAveragePooling()
      dense(128)
    }
    loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
    optimizer = adam(1e-3)
    threshold = 0.5f
  }

  private fun save(plot: Figure, base: Path) {
    Plots.saveSvg(plot, base.resolveSibling("${base.fileName}.svg"))
    Plots.savePng(plot, base.resolveSibling("${base.fileName}.png"))
  }

  private fun writeMetrics(out: Path, history: History, test: Map<String, Double>, dataset: String, epochs: Int, batchSize: Int, trainPairs: Int, seconds: Double) {
    val h = history.history
    val metrics = linkedMapOf<String, Any?>(
      "document" to "001",
      "dataset" to dataset,
      "epochs" to epochs,
      "batch_size" to batchSize,
      "train_pairs" to trainPairs,
      "train_loss" to h["loss"],
      "val_loss" to h["val_loss"],
      "train_accuracy" to h["pair_accuracy"],
      "val_accuracy" to h["val_pair_accuracy"],
      "test_loss" to test["loss"],
      "test_accuracy" to test["pair_accuracy"],
      "step_ms_median" to history.stepMillisMedian(),
      "pairs_per_second" to history.examplesPerSecond(),
      "train_seconds" to seconds,
    )
    Files.writeString(out.resolve("metrics.json"), Json.write(metrics) + "\n")
  }
}
