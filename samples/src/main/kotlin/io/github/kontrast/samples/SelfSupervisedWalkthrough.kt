package io.github.kontrast.samples

import io.github.kontrast.dsl.augment.Augmentation
import io.github.kontrast.dsl.augment.Augmentations
import io.github.kontrast.dsl.augment.augmentation
import io.github.kontrast.dsl.augment.views
import io.github.kontrast.dsl.data.FashionMnist
import io.github.kontrast.dsl.distributed.ClusterSpec
import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.dsl.distributed.DataParallelOptions
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.data.TrainTestImages
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.eval.EmbeddingFunction
import io.github.kontrast.dsl.eval.KnnClassifier
import io.github.kontrast.dsl.eval.LinearProbe
import io.github.kontrast.dsl.mocoV3
import io.github.kontrast.dsl.pipeline.SelfSupervisedModel
import io.github.kontrast.dsl.precision.Precision
import io.github.kontrast.dsl.plot.Plots
import io.github.kontrast.dsl.plot.pcaScatter
import io.github.kontrast.dsl.plot.plot
import io.github.kontrast.dsl.simclr
import io.github.kontrast.dsl.simsiam
import io.github.kontrast.dsl.supCon
import io.github.kontrast.dsl.swav
import org.jetbrains.letsPlot.Figure
import picocli.CommandLine.Command
import picocli.CommandLine.ITypeConverter
import picocli.CommandLine.Option
import picocli.CommandLine.TypeConversionException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Locale

/**
 * Self-supervised pre-training on 28x28 images and its evaluation (issue 8, document 004): two
 * augmented views of every training image ([Augmentations.digits]), one of the five methods
 * (`--method`), then the encoder frozen and judged by k-NN and a linear probe on its h, against
 * the same encoder with its initial weights. Labels are used only by the evaluation, and by
 * SupCon, which is supervised by definition.
 */
abstract class SelfSupervisedWalkthrough : Walkthrough() {
  protected abstract fun load(): TrainTestImages

  /** The two-view recipe. */
  protected abstract val recipe: Augmentation

  @Option(names = ["--method"], paramLabel = "NAME", converter = [MethodName::class], description = ["simclr, moco, simsiam, swav or supcon (default \${DEFAULT-VALUE})"])
  var method: Method = Method.SIMCLR

  @Option(names = ["--epochs"], paramLabel = "N", converter = [Count::class], description = ["epochs of pre-training (default \${DEFAULT-VALUE})"])
  var epochs: Int = 10

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["images per step, each seen as two views (default \${DEFAULT-VALUE})"])
  var batchSize: Int = 256

  @Option(names = ["--train-limit"], paramLabel = "N", converter = [Count::class], description = ["pre-train on the first N training images, which are also the k-NN bank and the probe's training set (default \${DEFAULT-VALUE})"])
  var trainLimit: Int = 12_000

  @Option(names = ["--test-limit"], paramLabel = "N", converter = [Count::class], description = ["evaluate on the first N test images (default: all)"])
  var testLimit: Int? = null

  @Option(names = ["--seed"], paramLabel = "N", converter = [Seed::class], description = ["seed for views, initial weights and shuffling (default \${DEFAULT-VALUE})"])
  var seed: Long = 42

  @Option(names = ["--quiet"], description = ["no progress bar, only the epoch lines"])
  var quiet: Boolean = false

  @Option(names = ["--data"], paramLabel = "DIR", description = ["where to look for the dataset first"])
  var data: Path? = null

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where results go (default: out/NAME-METHOD)"])
  var out: Path? = null

  @Option(names = ["--export"], paramLabel = "DIR", description = ["after training, write the encoder there as a TensorFlow SavedModel (serving_default: image -> embedding)"])
  var export: Path? = null

  @Option(names = ["--workers"], paramLabel = "N", converter = [Count::class], description = ["train data-parallel on N processes on this machine, one per worker, all-reducing over loopback; worker 0 evaluates, writes the results and a checkpoint after each epoch, from which a restarted run resumes (default \${DEFAULT-VALUE})"])
  var workers: Int = 1

  // set by the --workers launcher on each worker process it starts
  @Option(names = ["--worker-rank"], hidden = true)
  var workerRank: Int? = null

  @Option(names = ["--worker-ports"], hidden = true, split = ",")
  var workerPorts: List<Int>? = null

  @Option(names = ["--min-knn-gain"], paramLabel = "X", converter = [Fraction::class], description = ["exit with status 1 unless k-NN accuracy beats the random encoder's by at least X (for CI)"])
  var minKnnGain: Double? = null

  @Option(names = ["--precision"], paramLabel = "TYPE", converter = [PrecisionName::class], description = ["what the encoder computes in: float32 (default), bfloat16 or float16; weights and the loss stay float32"])
  var precision: Precision = Precision.FLOAT32

  override fun call(): Int {
    if (workers > 1 && workerRank == null) return LocalWorkers.launch(workers)
    val cluster = workerRank?.let { ClusterSpec.localhost(checkNotNull(workerPorts) { "--worker-rank needs --worker-ports" }, it) }
    val lead = cluster == null || cluster.rank == 0
    val dir = out ?: Paths.get("out", "$name-${method.option}")
    Files.createDirectories(dir)
    val set = load()
    val train = set.train.take(trainLimit)
    val test = testLimit?.let { set.test.take(it) } ?: set.test
    println("Dataset: ${set.source}")
    println("Pre-training: ${train.size} images, ${method.option}, $epochs epochs at batch $batchSize; evaluation: ${test.size} test images")
    val views = train.views(recipe, seed)
    val steps = epochs.toLong() * ((train.size + batchSize - 1) / batchSize)
    val replica = cluster?.let { c -> DataParallel.replicate(c) { build(method, seed, steps, quiet || !lead, precision) } }
    (replica ?: build(method, seed, steps, quiet, precision)).use { model ->
      if (lead) model.summary()
      val embed = EmbeddingFunction { model.embed(it, 256) }
      val knn = KnnClassifier.create()
      val probe = LinearProbe.create()
      // the same encoder before any training: what the pre-training has to beat
      val randomKnn = if (lead) knn.evaluate(embed, train, test) else Double.NaN
      val randomProbe = if (lead) probe.evaluate(embed, train, test).accuracy else Double.NaN
      if (lead) println(String.format(Locale.ROOT, "Random encoder: k-NN %.4f, linear probe %.4f", randomKnn, randomProbe))

      val started = System.nanoTime()
      val history = if (cluster == null) {
        model.fit(views, epochs = epochs, batchSize = batchSize)
      } else {
        DataParallel.fit(model, cluster, views, DataParallelOptions(epochs, batchSize, dir.resolve("checkpoint.ktck")))
      }
      val seconds = (System.nanoTime() - started) / 1e9
      if (!lead) return LocalWorkers.awaitRelease()
      val knnAccuracy = knn.evaluate(embed, train, test)
      val probeAccuracy = probe.evaluate(embed, train, test).accuracy
      println(String.format(Locale.ROOT, "Pre-trained encoder: k-NN %.4f, linear probe %.4f", knnAccuracy, probeAccuracy))
      println(String.format(Locale.ROOT, "Training: %.0f s, %.0f images/s", seconds, history.examplesPerSecond()))

      save(history.plot(title = "Training loss, ${method.option}", keys = listOf("loss")), dir.resolve("history"))
      save(pcaScatter(model.embed(test.images, 256), test.labels.data, title = "PCA of h, ${method.option}, ${set.name} test"), dir.resolve("pca"))
      val metrics = linkedMapOf<String, Any?>(
        "method" to method.option,
        "dataset" to set.source,
        "train_images" to train.size,
        "test_images" to test.size,
        "epochs" to epochs,
        "batch_size" to batchSize,
        "workers" to workers,
        "seed" to seed,
        "precision" to precision.name,
        "train_loss" to history["loss"],
        "knn_accuracy" to knnAccuracy,
        "linear_probe_accuracy" to probeAccuracy,
        "random_knn_accuracy" to randomKnn,
        "random_linear_probe_accuracy" to randomProbe,
        "images_per_second" to history.examplesPerSecond(),
        "train_seconds" to seconds,
      )
      Files.writeString(dir.resolve("metrics.json"), Json.write(metrics) + "\n")
      println("Results in $dir: metrics.json, history.svg/.png, pca.svg/.png")
      export?.let { e ->
        model.export(e)
        println("SavedModel in $e: signature serving_default, input 'image' (float32, [N, 28, 28, 1]), output 'embedding' (float32, [N, ${model.representationShape[0]}]), the encoder's h")
      }
      val bar = minKnnGain
      if (bar != null && knnAccuracy - randomKnn < bar) {
        System.err.println(String.format(Locale.ROOT, "kontrast %s: k-NN accuracy %.4f beats the random encoder's %.4f by less than --min-knn-gain %.4f", name, knnAccuracy, randomKnn, bar))
        return 1
      }
    }
    return 0
  }

  private fun save(plot: Figure, base: Path) {
    Plots.saveSvg(plot, base.resolveSibling("${base.fileName}.svg"))
    Plots.savePng(plot, base.resolveSibling("${base.fileName}.png"))
  }

  /** The five methods `--method` names. */
  enum class Method(val option: String) {
    SIMCLR("simclr"), MOCO("moco"), SIMSIAM("simsiam"), SWAV("swav"), SUPCON("supcon");

    override fun toString(): String = option
  }

  /** `--method` by its lower-case name. */
  class MethodName : ITypeConverter<Method> {
    override fun convert(value: String): Method =
      Method.values().firstOrNull { it.option == value } ?: throw TypeConversionException("expected one of ${Method.values().joinToString(", ")}, got '$value'")
  }

  companion object {
    /**
     * Each method with the library's defaults, the small CNN encoder, and Adam with warmup + cosine
     * over [steps]; [precision] is what the encoder and projector compute in.
     */
    @JvmOverloads
    fun build(method: Method, seed: Long, steps: Long, quiet: Boolean, precision: Precision = Precision.FLOAT32): SelfSupervisedModel = when (method) {
      Method.SIMCLR -> simclr { this.seed = seed; trainingSteps = steps; this.quiet = quiet; this.precision = precision }
      Method.MOCO -> mocoV3 { this.seed = seed; trainingSteps = steps; this.quiet = quiet; this.precision = precision }
      Method.SIMSIAM -> simsiam { this.seed = seed; trainingSteps = steps; this.quiet = quiet; this.precision = precision }
      Method.SWAV -> swav { this.seed = seed; trainingSteps = steps; this.quiet = quiet; this.precision = precision }
      Method.SUPCON -> supCon { this.seed = seed; trainingSteps = steps; this.quiet = quiet; this.precision = precision }
    }
  }
}

/** `./kontrast simclr-mnist`: MNIST, digit views (no flip). */
@Command(name = "simclr-mnist", description = ["document 004: self-supervised pre-training on MNIST (SimCLR by default), judged by k-NN and a linear probe"])
class SimClrMnistWalkthrough : SelfSupervisedWalkthrough() {
  @Option(names = ["--no-download"], description = ["never download mnist.npz; use what is found, else the shipped subset"])
  var noDownload: Boolean = false

  override fun load(): TrainTestImages = Mnist.load(data, download = !noDownload)
  override val recipe: Augmentation get() = Augmentations.digits()
}

/** `./kontrast simclr-fashion`: Fashion-MNIST, digit views plus a horizontal flip (a mirrored shoe is still a shoe). */
@Command(name = "simclr-fashion", description = ["document 004: self-supervised pre-training on Fashion-MNIST (SimCLR by default), judged by k-NN and a linear probe"])
class SimClrFashionWalkthrough : SelfSupervisedWalkthrough() {
  override fun load(): TrainTestImages = FashionMnist.load(data)
  override val recipe: Augmentation get() = Augmentations.digits() + augmentation { horizontalFlip(0.5) }
}
