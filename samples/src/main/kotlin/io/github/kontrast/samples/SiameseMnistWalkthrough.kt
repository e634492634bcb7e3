package io.github.kontrast.samples

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.pipeline.SiameseModel
import io.github.kontrast.dsl.precision.Precision
import io.github.kontrast.dsl.siamese
import io.github.kontrast.dsl.plot.Plots
import io.github.kontrast.dsl.plot.pairsGrid
import io.github.kontrast.dsl.plot.plot
import io.github.kontrast.losses.PairConvention
import org.jetbrains.letsPlot.Figure
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Locale

/**
 * `./kontrast siamese-mnist`: document 001 end to end. MNIST, the first 20% of the training images
 * for validation, one positive and one negative partner per image, the document's CNN twin,
 * Euclidean distance, contrastive loss with label 1 = similar, 1/2 factors and margin 1, Adam
 * 1e-3, 5 epochs at batch 64; accuracy counts a pair as similar when its distance is below 0.5.
 * After each epoch it saves history.csv and checkpoint.ktck in --out, from which --resume goes on.
 */
@Command(name = "siamese-mnist", description = ["document 001: a Siamese CNN trained on MNIST pairs with the contrastive loss"])
class SiameseMnistWalkthrough : Walkthrough() {
  @Mixin
  val training = TrainingOptions()

  @Option(names = ["--data"], paramLabel = "DIR", description = ["where to look for MNIST first (then KONTRAST_DATA, ~/.kontrast/datasets, ~/.keras/datasets)"])
  var data: Path? = null

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where results go (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/siamese-mnist")

  @Option(names = ["--min-accuracy"], paramLabel = "X", converter = [Fraction::class], description = ["exit with status 1 when test pair accuracy is below X (for CI)"])
  var minAccuracy: Double = 0.0

  @Option(names = ["--no-download"], description = ["never download mnist.npz; use what is found, else the shipped subset"])
  var noDownload: Boolean = false

  @Option(names = ["--resume"], description = ["continue from the checkpoint in --out: skip the epochs it holds, train the rest"])
  var resume: Boolean = false

  @Option(names = ["--export"], paramLabel = "DIR", description = ["after training, write the encoder there as a TensorFlow SavedModel (serving_default: image -> embedding)"])
  var export: Path? = null

  @Option(names = ["--precision"], paramLabel = "TYPE", converter = [PrecisionName::class], description = ["what the encoder computes in: float32 (default), bfloat16 or float16; weights and the loss stay float32"])
  var precision: Precision = Precision.FLOAT32

  private val epochs get() = training.epochs
  private val batchSize get() = training.batchSize
  private val seed get() = training.seed

  override fun call(): Int {
    Files.createDirectories(out)
    val run = TrainingRun(out, epochs)
    if (resume) run.requireCheckpoint() else run.fresh()
    return InterruptNotice { "kontrast $name: ${run.interruptedMessage()}" }.use { train(run) }
  }

  private fun train(run: TrainingRun): Int {
    // Step 3 of the document: load, split off the first 20% for validation, preprocess to [0, 1]
    val mnist = Mnist.load(data, download = !noDownload)
    val limited = training.trainLimit?.let { mnist.train.take(it) } ?: mnist.train
    val (train, validation) = limited.split(0.2)
    println("Dataset: ${mnist.source}")
    println("Train: ${train.size}\nValidation: ${validation.size}\nTest: ${mnist.test.size}")

    // Step 4: one positive and one negative partner per image, shuffled
    val trainPairs = train.pairs(seed)
    val validationPairs = validation.pairs(seed + 1)
    val testPairs = mnist.test.pairs(seed + 2)
    println("Pairs: ${trainPairs.size} training, ${validationPairs.size} validation, ${testPairs.size} test\n")
    save(pairsGrid(trainPairs.head(6)), out.resolve("training-pairs"))

    // Steps 5-7: the twin, the distance, the loss (label 1 = similar, 1/2 factors, margin 1)
    siameseModel(seed, training.quiet, precision).use { model ->
      model.summary()

      // Step 8: train with validation, or what is left of it after a checkpoint
      val done = if (resume) run.resume { model.restore(it); model.epoch } else 0
      if (resume) println("Resuming from ${run.checkpoint}: $done of $epochs epochs done (step ${model.step})")
      val started = System.nanoTime()
      val fitted = if (done < epochs) {
        model.fit(trainPairs, validationPairs, epochs = epochs - done, batchSize = batchSize, callbacks = listOf(run.callback))
      } else {
        null
      }
      val seconds = (System.nanoTime() - started) / 1e9
      val history = run.history()

      // Step 9: the loss curves, the test accuracy, and predictions shown as display_pairs does
      save(history.plot(), out.resolve("history"))
      val test = model.evaluate(testPairs, batchSize)
      val accuracy = test.getValue("pair_accuracy")
      val shown = testPairs.head(6)
      val predicted = model.predictSimilar(model.predict(ArrayDataset(shown.arrays), batchSize))
      save(pairsGrid(shown, predictions = FloatArray(predicted.size) { if (predicted[it]) 1f else 0f }), out.resolve("pairs"))

      println(String.format(Locale.ROOT, "\nTest: loss %.4f, pair accuracy %.4f", test.getValue("loss"), accuracy))
      if (fitted != null) {
        println(String.format(Locale.ROOT, "Step time: median %.1f ms, %.0f pairs/s; %.0f s in all", fitted.stepMillisMedian(), fitted.examplesPerSecond(), seconds))
      }
      writeMetrics(history, fitted, test, mnist.source, trainPairs.size, seconds)
      println("Results in $out: metrics.json, history.csv, history.svg/.png, pairs.svg/.png, training-pairs.svg/.png, checkpoint.ktck")
      export?.let { dir ->
        model.export(dir)
        val input = model.inputShape.joinToString(", ")
        println("SavedModel in $dir: signature serving_default, input 'image' (float32, [N, $input], pixels in [0, 1]), output 'embedding' (float32, [N, ${model.embeddingShape[0]}])")
      }

      if (accuracy < minAccuracy) {
        System.err.println(String.format(Locale.ROOT, "kontrast %s: test pair accuracy %.4f is below --min-accuracy %.4f", name, accuracy, minAccuracy))
        return 1
      }
    }
    return 0
  }

  companion object {
    /** Document 001's network, as the DSL writes it; [precision] is what its twin computes in. */
    @JvmOverloads
    fun siameseModel(seed: Long, quiet: Boolean, precision: Precision = Precision.FLOAT32): SiameseModel = siamese {
      this.seed = seed
      this.quiet = quiet
      this.precision = precision
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
  }

  private fun save(plot: Figure, base: Path) {
    Plots.saveSvg(plot, base.resolveSibling("${base.fileName}.svg"))
    Plots.savePng(plot, base.resolveSibling("${base.fileName}.png"))
  }

  /**
   * metrics.json: the whole run's per-epoch values from [history] (those before a resume included),
   * the test figures, and the step times of the epochs trained in this process ([fitted]; none when
   * a resumed run had nothing left to train).
   */
  private fun writeMetrics(history: History, fitted: History?, test: Map<String, Double>, dataset: String, trainPairs: Int, seconds: Double) {
    val h = history.history
    val metrics = linkedMapOf<String, Any?>(
      "document" to "001",
      "precision" to precision.name,
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
      "step_ms_median" to (fitted?.stepMillisMedian() ?: Double.NaN),
      "pairs_per_second" to (fitted?.examplesPerSecond() ?: Double.NaN),
      "train_seconds" to seconds,
    )
    Files.writeString(out.resolve("metrics.json"), Json.write(metrics) + "\n")
  }
}
