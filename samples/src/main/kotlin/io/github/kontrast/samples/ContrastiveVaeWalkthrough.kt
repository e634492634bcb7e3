package io.github.kontrast.samples

import io.github.kontrast.dsl.contrastiveVae
import io.github.kontrast.dsl.data.AugmentedPairs
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.pipeline.ContrastiveVae
import io.github.kontrast.dsl.pipeline.LatentKnn
import io.github.kontrast.dsl.plot.Caption
import io.github.kontrast.dsl.plot.Plots
import io.github.kontrast.dsl.plot.imageGrid
import io.github.kontrast.dsl.plot.plot
import io.github.kontrast.dsl.plot.pointsByClass
import org.jetbrains.letsPlot.Figure
import picocli.CommandLine.Command
import picocli.CommandLine.Mixin
import picocli.CommandLine.Option
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Locale

/**
 * `./kontrast contrastive-vae`: document 003 on MNIST. Pairs as the document says to make them
 * (two shifted views of one image, label 0; an image and one of another class, label 1), a small
 * convolutional VAE with a 2-D latent space, trained twice from the same seed on the same pairs:
 * with the document's contrastive term on the latent vectors (label 1 = dissimilar, margin 1,
 * weighted by --contrastive-weight) and without it. Both keep the KL term (--kl-weight; 0 is the
 * document's loop, an autoencoder). Measured on held-out test images: k-NN accuracy in latent space
 * (the training images' latent means as reference) and the reconstruction error of each.
 */
@Command(name = "contrastive-vae", description = ["document 003: a VAE on MNIST pairs, with and without a contrastive term on its latent vectors"])
class ContrastiveVaeWalkthrough : Walkthrough() {
  @Mixin
  val training = TrainingOptions()

  @Option(names = ["--test-limit"], paramLabel = "N", converter = [Count::class], description = ["measure on the first N test images (default: all)"])
  var testLimit: Int? = null

  @Option(names = ["--contrastive-weight"], paramLabel = "X", converter = [Weight::class], description = ["weight of the contrastive term (default \${DEFAULT-VALUE}; the document: smaller than the reconstruction)"])
  var contrastiveWeight: Double = 0.1

  @Option(names = ["--kl-weight"], paramLabel = "X", converter = [Weight::class], description = ["beta, the KL term's weight (default: 1/784, see README); 0 is the document's loop, without KL"])
  var klWeight: Double? = null

  @Option(names = ["--data"], paramLabel = "DIR", description = ["where to look for MNIST first (then KONTRAST_DATA, ~/.kontrast/datasets, ~/.keras/datasets)"])
  var data: Path? = null

  @Option(names = ["--no-download"], description = ["never download mnist.npz; use what is found, else the shipped subset"])
  var noDownload: Boolean = false

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where results go (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/contrastive-vae")

  @Option(names = ["--min-knn-gain"], paramLabel = "X", converter = [Gain::class], description = ["exit with status 1 when k-NN accuracy with the contrastive term is not at least X above without it (for CI)"])
  var minKnnGain: Double? = null

  override fun call(): Int {
    Files.createDirectories(out)
    val mnist = Mnist.load(data, download = !noDownload)
    val train = training.trainLimit?.let { mnist.train.take(minOf(it, mnist.train.size)) } ?: mnist.train
    val test = testLimit?.let { mnist.test.take(minOf(it, mnist.test.size)) } ?: mnist.test
    val pairs = AugmentedPairs.generate(train, training.seed)
    println("Dataset: ${mnist.source}")
    println("Train: ${train.size} images -> ${pairs.size} pairs (one positive: two shifted views; one negative: another class); test: ${test.size} images\n")

    val runs = listOf(true, false).map { contrastive -> trainOne(contrastive, pairs, train, test) }
    val (withTerm, plain) = runs
    println()
    for (r in runs) {
      println(String.format(Locale.ROOT, "%-24s k-NN accuracy (k = %d) %.4f, reconstruction error %.5f, %.0f s", r.label, K, r.knnAccuracy, r.reconstructionError, r.seconds))
    }

    val shown = test.gather(IntArray(minOf(8, test.size)) { it })
    val rows = FloatHostArray(shown.images.data + withTerm.reconstructions + plain.reconstructions, intArrayOf(3 * shown.size) + shown.imageShape)
    val captions = List(3 * shown.size) { i ->
      when (i / shown.size) {
        0 -> Caption("test: ${shown.label(i)}")
        1 -> Caption("contrastive")
        else -> Caption("plain")
      }
    }
    save(imageGrid(rows, captions, columns = shown.size, cellWidth = 110, cellHeight = 130), "reconstructions")
    writeMetrics(mnist.source, train.size, pairs.size, test.size, withTerm, plain)
    println("Results in $out: metrics.json, reconstructions, latent-contrastive, latent-plain, history-contrastive, history-plain (.svg/.png)")

    val gain = minKnnGain ?: return 0
    if (withTerm.knnAccuracy - plain.knnAccuracy < gain) {
      System.err.println(String.format(Locale.ROOT, "kontrast %s: k-NN accuracy %.4f with the contrastive term, %.4f without: the gain is below --min-knn-gain %.4f", name, withTerm.knnAccuracy, plain.knnAccuracy, gain))
      return 1
    }
    return 0
  }

  private class Result(val label: String, val history: History, val knnAccuracy: Double, val reconstructionError: Double, val reconstructions: FloatArray, val seconds: Double)

  private fun trainOne(contrastive: Boolean, pairs: AugmentedPairs, train: LabeledImages, test: LabeledImages): Result {
    val label = if (contrastive) "with the contrastive term" else "plain VAE"
    val tag = if (contrastive) "contrastive" else "plain"
    println("== $label ==")
    vaeModel(training.seed, training.quiet, if (contrastive) contrastiveWeight else null, klWeight).use { model ->
      if (contrastive) model.summary()
      val started = System.nanoTime()
      val history = model.fit(pairs, epochs = training.epochs, batchSize = training.batchSize)
      val seconds = (System.nanoTime() - started) / 1e9
      // k-NN in latent space: the training images' means are the reference, the test images' the queries
      val reference = model.embed(train.images, batchSize = 256)
      val queries = model.embed(test.images, batchSize = 256)
      val accuracy = LatentKnn.accuracy(reference, train.labels.data, queries, test.labels.data, K)
      val error = model.reconstructionError(test.images, batchSize = 256)
      val shown = model.reconstruct(test.images.gather(IntArray(minOf(8, test.size)) { it }))
      if (model.latentDim == 2) save(pointsByClass(queries, test.labels.data, title = "Latent means of the test images, $label"), "latent-$tag")
      // the KL term (in nats, tens) would flatten the others (tenths); it is in metrics.json
      save(history.plot("Loss terms, $label", listOf("loss", "reconstruction_loss") + listOf("contrastive_loss").filter { history.contains(it) }), "history-$tag")
      return Result(label, history, accuracy, error, shown.data, seconds)
    }
  }

  private fun save(plot: Figure, name: String) {
    Plots.saveSvg(plot, out.resolve("$name.svg"))
    Plots.savePng(plot, out.resolve("$name.png"))
  }

  private fun writeMetrics(dataset: String, trainImages: Int, trainPairs: Int, testImages: Int, withTerm: Result, plain: Result) {
    fun last(h: History, key: String) = h.history[key]?.last()
    val metrics = linkedMapOf<String, Any?>(
      "document" to "003",
      "dataset" to dataset,
      "epochs" to training.epochs,
      "batch_size" to training.batchSize,
      "train_images" to trainImages,
      "train_pairs" to trainPairs,
      "test_images" to testImages,
      "kl_weight" to (klWeight ?: (1.0 / 784)),
      "contrastive_weight" to contrastiveWeight,
      "knn_k" to K,
      "knn_accuracy_contrastive" to withTerm.knnAccuracy,
      "knn_accuracy_plain" to plain.knnAccuracy,
      "reconstruction_error_contrastive" to withTerm.reconstructionError,
      "reconstruction_error_plain" to plain.reconstructionError,
      "train_loss_contrastive" to withTerm.history.history["loss"],
      "train_loss_plain" to plain.history.history["loss"],
      "final_kl_contrastive" to last(withTerm.history, "kl_loss"),
      "final_kl_plain" to last(plain.history, "kl_loss"),
      "final_contrastive_loss" to last(withTerm.history, "contrastive_loss"),
      "mean_positive_distance" to last(withTerm.history, "mean_positive_distance"),
      "mean_negative_distance" to last(withTerm.history, "mean_negative_distance"),
      "train_seconds_contrastive" to withTerm.seconds,
      "train_seconds_plain" to plain.seconds,
    )
    Files.writeString(out.resolve("metrics.json"), Json.write(metrics) + "\n")
  }

  /** A weight: a finite number >= 0. */
  class Weight : picocli.CommandLine.ITypeConverter<Double> {
    override fun convert(value: String): Double =
      value.toDoubleOrNull()?.takeIf { it >= 0 && it.isFinite() } ?: throw picocli.CommandLine.TypeConversionException("expected a number >= 0, got '$value'")
  }

  /** A difference of accuracies: a number in [-1, 1]. */
  class Gain : picocli.CommandLine.ITypeConverter<Double> {
    override fun convert(value: String): Double =
      value.toDoubleOrNull()?.takeIf { it >= -1 && it <= 1 } ?: throw picocli.CommandLine.TypeConversionException("expected a number between -1 and 1, got '$value'")
  }

  companion object {
    /** Neighbours voting in the latent k-NN. */
    const val K = 5

    /**
     * The VAE of the walkthrough: [io.github.kontrast.dsl.pipeline.Encoders.mnistVaeEncoder] and its
     * decoder, 2 latent dimensions, Adam 1e-3; the document's contrastive loss (label 1 = dissimilar,
     * margin 1) times [contrastiveWeight] when it is not null; beta [klWeight] (null: 1/784).
     */
    fun vaeModel(seed: Long, quiet: Boolean, contrastiveWeight: Double?, klWeight: Double?): ContrastiveVae = contrastiveVae {
      this.seed = seed
      this.quiet = quiet
      latentDim = 2
      this.klWeight = klWeight
      if (contrastiveWeight != null) contrastive(documentContrastive(), weight = contrastiveWeight)
      optimizer = adam(1e-3)
    }
  }
}
