package io.github.kontrast.samples

import io.github.kontrast.dsl.data.Spiral
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.TrainingLimit
import io.github.kontrast.dsl.metrics.RankCorrelation
import io.github.kontrast.dsl.pipeline.SiameseModel
import io.github.kontrast.dsl.plot.Plots
import io.github.kontrast.dsl.plot.fieldMap
import io.github.kontrast.dsl.plot.plotHistory
import io.github.kontrast.dsl.plot.pointsPlot
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention
import io.github.kontrast.losses.reducers.Reduction
import org.jetbrains.letsPlot.Figure
import org.tensorflow.EagerSession
import org.tensorflow.op.Ops
import picocli.CommandLine.Command
import picocli.CommandLine.ITypeConverter
import picocli.CommandLine.Option
import picocli.CommandLine.TypeConversionException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Locale
import kotlin.math.abs

/**
 * `./kontrast spiral`: document 002, Wolfram's ContrastiveLossLayer and NetPairEmbeddingOperator.
 * The loss on a distance (Target True = push apart, margin 0.5) and its three example values; an
 * MLP 2 -> 200 -> ReLU -> 100 -> ReLU -> 20 -> tanh -> 1 as the twin of a Siamese pipeline; pairs
 * of spiral points drawn at random for every batch of 512, True when their parameters differ by
 * more than pi; training to a number of steps or a time goal; Spearman's rho between the learned
 * 1-D embedding and the parameter; the points, the embedding over the grid [-1.3, 1.3]^2 as a hue
 * map, and the points in their embedding's hue.
 */
@Command(name = "spiral", description = ["document 002: an MLP learns a 1-D embedding of a noisy spiral from random pairs (Wolfram's ContrastiveLossLayer)"])
class SpiralWalkthrough : Walkthrough() {
  @Option(names = ["--steps"], paramLabel = "N", converter = [Count::class], description = ["training steps (default \${DEFAULT-VALUE}); with --time-goal, whichever ends first"])
  var steps: Int = 1000

  @Option(names = ["--time-goal"], paramLabel = "SECONDS", converter = [Seconds::class], description = ["stop after this many seconds of training, as Wolfram's TimeGoal (the document: 120)"])
  var timeGoal: Double? = null

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["pairs per step (default \${DEFAULT-VALUE}, as the document)"])
  var batchSize: Int = 512

  @Option(names = ["--seed"], paramLabel = "N", converter = [Seed::class], description = ["seed for the points, the pairs and the initial weights (default \${DEFAULT-VALUE})"])
  var seed: Long = 42

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where results go (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/spiral")

  @Option(names = ["--quiet"], description = ["no progress bar, only the epoch lines"])
  var quiet: Boolean = false

  @Option(names = ["--min-rho"], paramLabel = "X", converter = [Fraction::class], description = ["exit with status 1 when |Spearman rho| is below X (for CI)"])
  var minRho: Double = 0.0

  override fun call(): Int {
    Files.createDirectories(out)
    // The loss layer alone: the document's three examples
    val examples = lossExamples()
    println("ContrastiveLossLayer[] (margin 0.5; Target True = the distance should be maximised):")
    println(String.format(Locale.ROOT, "  Input 0.1, Target True  -> %.4f   (0.5 - 0.1)^2", examples[0]))
    println(String.format(Locale.ROOT, "  Input 0.6, Target True  -> %.4f   beyond the margin", examples[1]))
    println(String.format(Locale.ROOT, "  Input 0.1, Target False -> %.4f   0.1^2: the square of the distance (the document says 'proportional')", examples[2]))

    // The points: r from 0 to 6 pi step 0.002, radius r + U(0, 5.5), angle r + U(0, 0.1), over 15
    val spiral = Spiral.generate(seed)
    println(String.format(Locale.ROOT, "\nSpiral: %,d points, r from 0 to 6 pi in steps of 0.002", spiral.size))
    save(pointsPlot(spiral.points, title = "The training points"), "points")

    spiralModel(seed, quiet).use { model ->
      model.summary()
      // sampler[#BatchSize]&: a fresh random draw of pairs for every batch; an "epoch" here is 100 batches
      val pairs = spiral.pairs(STEPS_PER_EPOCH * batchSize, seed + 1)
      val limit = TrainingLimit(steps.toLong(), timeGoal)
      val epochs = (steps + STEPS_PER_EPOCH - 1) / STEPS_PER_EPOCH
      val what = if (timeGoal != null) String.format(Locale.ROOT, "%d steps or %.0f s, whichever ends first", steps, timeGoal) else "$steps steps"
      println("\nTraining on random pairs, batch $batchSize, for $what")
      val started = System.nanoTime()
      val history = model.fit(pairs, epochs = epochs, batchSize = batchSize, callbacks = listOf(limit))
      val seconds = (System.nanoTime() - started) / 1e9

      // The embedding: one number per point; does it follow the spiral's parameter?
      val embedding = model.embed(spiral.points, batchSize = 2048).data
      val rho = RankCorrelation.spearman(embedding, spiral.parameter)
      println(String.format(Locale.ROOT, "\nSpearman rho between the embedding and r: %.4f (|rho| %.4f) after %d steps, %.1f s", rho, abs(rho), model.step, seconds))

      val grid = Spiral.grid()
      save(fieldMap(grid, model.embed(grid, batchSize = 2048).data, title = "The learned 1-D embedding over [-1.3, 1.3]^2 (hue)"), "embedding-map")
      save(pointsPlot(spiral.points, embedding, title = "The points in the hue of their embedding", valueName = "embedding"), "points-by-embedding")
      save(plotHistory(history.history, "Training loss (an epoch is $STEPS_PER_EPOCH steps)", listOf("loss"), listOf("train"), history.epochs), "history")
      writeMetrics(examples, spiral.size, history, model, seconds, limit.reached ?: "steps", rho)
      println("Results in $out: metrics.json, points, embedding-map, points-by-embedding, history (.svg/.png)")
      if (abs(rho) < minRho) {
        System.err.println(String.format(Locale.ROOT, "kontrast %s: |Spearman rho| %.4f is below --min-rho %.4f", name, abs(rho), minRho))
        return 1
      }
    }
    return 0
  }

  private fun save(plot: Figure, name: String) {
    Plots.saveSvg(plot, out.resolve("$name.svg"))
    Plots.savePng(plot, out.resolve("$name.png"))
  }

  private fun writeMetrics(examples: DoubleArray, points: Int, history: History, model: SiameseModel, seconds: Double, stoppedBy: String, rho: Double) {
    val h = history.history
    val metrics = linkedMapOf<String, Any?>(
      "document" to "002",
      "loss_examples" to linkedMapOf("input_0.1_true" to examples[0], "input_0.6_true" to examples[1], "input_0.1_false" to examples[2]),
      "points" to points,
      "batch_size" to batchSize,
      "steps" to model.step,
      "time_goal_seconds" to timeGoal,
      "stopped_by" to stoppedBy,
      "train_seconds" to seconds,
      "step_ms_median" to history.stepMillisMedian(),
      "train_loss" to h["loss"],
      "mean_positive_distance" to h["mean_positive_distance"],
      "mean_negative_distance" to h["mean_negative_distance"],
      "spearman_rho" to rho,
      "spearman_rho_abs" to abs(rho),
    )
    Files.writeString(out.resolve("metrics.json"), Json.write(metrics) + "\n")
  }

  /** Seconds > 0, possibly fractional. */
  class Seconds : ITypeConverter<Double> {
    override fun convert(value: String): Double =
      value.toDoubleOrNull()?.takeIf { it > 0 && it.isFinite() } ?: throw TypeConversionException("expected a number of seconds > 0, got '$value'")
  }

  companion object {
    /** Batches per epoch line. */
    const val STEPS_PER_EPOCH = 100

    /** NetPairEmbeddingOperator[NetChain[{200, Ramp, 100, Ramp, 20, Tanh, 1}, "Input" -> 2]] trained with ContrastiveLossLayer[]. */
    fun spiralModel(seed: Long, quiet: Boolean): SiameseModel = siamese {
      this.seed = seed
      this.quiet = quiet
      input(2)
      encoder {
        dense(200, activation = relu)
        dense(100, activation = relu)
        dense(20, activation = tanh)
        dense(1)
      }
      // Target True = maximise the distance = dissimilar; margin 0.5; Euclidean distance, no 1/2
      loss = contrastive(margin = 0.5f, convention = PairConvention.ONE_MEANS_DISSIMILAR)
      optimizer = adam(1e-3)
      threshold = 0.25f
    }

    /** ContrastiveLossLayer[] on the document's three inputs: (0.1, True), (0.6, True), (0.1, False). */
    fun lossExamples(): DoubleArray {
      val loss = ContrastiveLoss.create().withMargin(0.5f).withConvention(PairConvention.ONE_MEANS_DISSIMILAR)
      EagerSession.create().use { s ->
        val tf = Ops.create(s)
        val values = loss.withReduction(Reduction.NONE)
          .callOnDistance(tf, tf.constant(floatArrayOf(0.1f, 0.6f, 0.1f)), tf.constant(floatArrayOf(1f, 1f, 0f)))
        val t = values.asTensor()
        return DoubleArray(3) { t.getFloat(it.toLong()).toDouble() }
      }
    }
  }
}
