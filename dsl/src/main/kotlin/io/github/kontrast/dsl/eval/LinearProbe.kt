package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.metrics.MetricTensors
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.optim.Schedules
import io.github.kontrast.dsl.optim.sgd
import org.tensorflow.types.TFloat32
import kotlin.math.sqrt

/**
 * The linear-probe protocol: the encoder stays frozen (only its embeddings are used), and a linear
 * classifier logits = x W + b is trained on them with softmax cross-entropy, then scored on
 * held-out data. Document 004 trains it with SGD (momentum 0.9) and a cosine-annealed rate for a
 * fixed number of epochs; so does this, by default at rate 0.1 for 50 epochs in batches of 256,
 * on features standardised with the training set's per-dimension mean and std (SimCLR's probe
 * normalises its input too). W and b start at zero, the batch order comes from [seed]: the result
 * is repeatable. Trained by the engine as a one-layer graph.
 */
class LinearProbe private constructor(
  /** Passes over the training features (default 50). */
  val epochs: Int,
  /** Features per training step (default 256). */
  val batchSize: Int,
  /** The optimizer's rate, the peak of the cosine when [cosine] (default 0.1). */
  val learningRate: Double,
  /** SGD's momentum (default 0.9; 0 with Adam). */
  val momentum: Double,
  /** True: Adam; false: SGD with [momentum] (the default). */
  val adam: Boolean,
  /** Whether the rate is cosine-annealed to 0 over the training (default true) or constant. */
  val cosine: Boolean,
  /** Whether the features are standardised with the training set's mean and std first (default true). */
  val standardize: Boolean,
  /** Seed of the batch order (default 0). */
  val seed: Long,
) {
  init {
    require(epochs > 0) { "epochs must be > 0, got $epochs" }
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(learningRate > 0.0 && learningRate.isFinite()) { "learningRate must be > 0, got $learningRate" }
    require(momentum in 0.0..1.0) { "momentum must be in [0, 1], got $momentum" }
  }

  /** The same probe trained for [epochs] epochs. */
  fun withEpochs(epochs: Int) = LinearProbe(epochs, batchSize, learningRate, momentum, adam, cosine, standardize, seed)
  /** The same probe trained in batches of [batchSize]. */
  fun withBatchSize(batchSize: Int) = LinearProbe(epochs, batchSize, learningRate, momentum, adam, cosine, standardize, seed)

  /** SGD at [learningRate] with [momentum] (the default: 0.1, 0.9). */
  @JvmOverloads
  fun withSgd(learningRate: Double, momentum: Double = 0.9) = LinearProbe(epochs, batchSize, learningRate, momentum, false, cosine, standardize, seed)

  /** Adam at [learningRate] (Keras' betas and epsilon). */
  fun withAdam(learningRate: Double) = LinearProbe(epochs, batchSize, learningRate, 0.0, true, cosine, standardize, seed)

  /** Whether the rate follows a cosine from its value to 0 over the training (true) or stays constant. */
  fun withCosine(cosine: Boolean) = LinearProbe(epochs, batchSize, learningRate, momentum, adam, cosine, standardize, seed)

  /** Whether the features are standardised with the training set's statistics first. */
  fun withStandardize(standardize: Boolean) = LinearProbe(epochs, batchSize, learningRate, momentum, adam, cosine, standardize, seed)

  /** The same probe with batch order from [seed]. */
  fun withSeed(seed: Long) = LinearProbe(epochs, batchSize, learningRate, momentum, adam, cosine, standardize, seed)

  /** A classifier trained on [features] (`[N, D]`) and their [labels] (0 until [classes]). */
  @JvmOverloads
  fun fit(features: FloatHostArray, labels: IntArray, classes: Int = labels.max() + 1): LinearClassifier {
    checkMatrix(features, "features")
    checkLabels(labels, features.rows, "labels")
    require(classes > labels.max()) { "classes must exceed the largest label ${labels.max()}, got $classes" }
    val d = features.shape[1]
    val (mean, scale) = if (standardize) statistics(features) else FloatArray(d) to FloatArray(d) { 1f }
    val x = LinearClassifier.standardised(features, mean, scale)
    val g = GraphBuilder(seed)
    val tf = g.tf
    val input = g.floatInput(FEATURES, intArrayOf(d))
    val target = g.intInput(LABEL, IntArray(0))
    val w = g.variables.variable("probe/kernel", intArrayOf(d, classes), Initializers.zeros(), trainable = true)
    val b = g.variables.variable("probe/bias", intArrayOf(classes), Initializers.zeros(), trainable = true)
    val logits = tf.math.add(tf.linalg.matMul(input, w), b)
    val oneHot = tf.oneHot(target, tf.constant(classes), tf.constant(1f), tf.constant(0f))
    val loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(), tf.constant(0))
    val correct = tf.dtypes.cast(tf.math.equal(tf.math.argMax(logits, tf.constant(1), org.tensorflow.types.TInt32::class.java), target), TFloat32::class.java)
    val acc = MetricTensors(tf.sum(correct, tf.constant(0)), tf.dtypes.cast(tf.size(correct), TFloat32::class.java))
    val steps = epochs.toLong() * ((features.rows + batchSize - 1) / batchSize)
    g.compile(loss, mapOf("accuracy" to acc), optimizer = optimizer(steps)).use { compiled ->
      Trainer(compiled).use { trainer ->
        trainer.verbosity = Verbosity.SILENT
        val data = ArrayDataset(FEATURES to FloatHostArray(x, features.shape), LABEL to IntHostArray(labels, intArrayOf(labels.size)))
        val history = trainer.fit(data, epochs = epochs, batchSize = batchSize)
        val state = trainer.checkpoint().values
        return LinearClassifier(state.getValue("probe/kernel").data, state.getValue("probe/bias").data, d, classes, mean, scale, history["loss"])
      }
    }
  }

  /** Trains on the training features and returns the accuracy on the test features. */
  fun evaluate(trainFeatures: FloatHostArray, trainLabels: IntArray, testFeatures: FloatHostArray, testLabels: IntArray): LinearProbeResult {
    checkLabels(testLabels, testFeatures.rows, "testLabels")
    val classes = maxOf(trainLabels.max(), testLabels.max()) + 1
    val classifier = fit(trainFeatures, trainLabels, classes)
    return LinearProbeResult(classifier.accuracy(testFeatures, testLabels), classifier.accuracy(trainFeatures, trainLabels), classifier)
  }

  /** Linear-probe accuracy on [test] of the frozen embeddings of [embed], trained on [train]'s. */
  fun evaluate(embed: EmbeddingFunction, train: LabeledImages, test: LabeledImages): LinearProbeResult =
    evaluate(embed.embedChecked(train.images, "training"), train.labels.data, embed.embedChecked(test.images, "test"), test.labels.data)

  private fun optimizer(steps: Long): Optimizer {
    val schedule = if (cosine && steps > 0) Schedules.warmupCosine(learningRate, 0, steps) else Schedules.constant(learningRate)
    return if (adam) adam(schedule) else sgd(schedule, momentum)
  }

  override fun toString(): String =
    "LinearProbe(epochs=$epochs, batchSize=$batchSize, ${if (adam) "Adam" else "SGD(momentum=$momentum)"} at $learningRate" +
      "${if (cosine) " cosine-annealed" else ""}, standardize=$standardize, seed=$seed)"

  companion object {
    private const val FEATURES = "features"
    private const val LABEL = "label"

    /** SGD, momentum 0.9, rate 0.1 cosine-annealed, 50 epochs, batches of 256, standardised features, seed 0. */
    @JvmStatic
    fun create(): LinearProbe = LinearProbe(50, 256, 0.1, 0.9, adam = false, cosine = true, standardize = true, seed = 0L)

    /** Per-dimension mean and std (population; 1 where a dimension is constant). */
    private fun statistics(x: FloatHostArray): Pair<FloatArray, FloatArray> {
      val d = x.shape[1]
      val sum = DoubleArray(d)
      val sq = DoubleArray(d)
      for (r in 0 until x.rows) for (j in 0 until d) { val v = x.data[r * d + j].toDouble(); sum[j] += v; sq[j] += v * v }
      val mean = FloatArray(d) { (sum[it] / x.rows).toFloat() }
      val std = FloatArray(d) {
        val variance = maxOf(0.0, sq[it] / x.rows - (sum[it] / x.rows) * (sum[it] / x.rows))
        val s = sqrt(variance)
        if (s > 1e-12) s.toFloat() else 1f
      }
      return mean to std
    }
  }
}

/**
 * A linear probe's outcome: held-out accuracy, accuracy on its own training features, the classifier.
 *
 * @property accuracy the fraction of held-out examples classified right, in [0, 1].
 * @property trainAccuracy the fraction of training examples classified right: against [accuracy], it shows overfitting.
 * @property classifier the trained classifier.
 */
class LinearProbeResult(val accuracy: Double, val trainAccuracy: Double, val classifier: LinearClassifier) {
  override fun toString(): String = "LinearProbeResult(accuracy=$accuracy, trainAccuracy=$trainAccuracy)"
}

/**
 * A trained linear classifier on the host: logits = ((x - mean) / std) W + b, W row-major `[D, K]`.
 * [losses] holds the training loss of every epoch.
 */
class LinearClassifier(
  private val kernel: FloatArray,
  private val bias: FloatArray,
  /** D, the features per example. */
  val dimensions: Int,
  /** K, the number of classes. */
  val classes: Int,
  private val mean: FloatArray,
  private val std: FloatArray,
  /** The mean training loss of every epoch, in order. */
  val losses: List<Double>,
) {
  init {
    require(kernel.size == dimensions * classes) { "kernel must hold ${dimensions * classes} values, got ${kernel.size}" }
    require(bias.size == classes) { "bias must hold $classes values, got ${bias.size}" }
  }

  /** W, `[D, K]` row-major (a copy). */
  val weights: FloatArray get() = kernel.copyOf()

  /** b, `[K]` (a copy). */
  val biases: FloatArray get() = bias.copyOf()

  /** The logits `[N, K]` of [features] `[N, D]`. */
  fun logits(features: FloatHostArray): FloatHostArray {
    checkMatrix(features, "features")
    require(features.shape[1] == dimensions) { "features must have $dimensions columns, got ${features.shape[1]}" }
    val x = standardised(features, mean, std)
    val out = FloatArray(features.rows * classes)
    for (r in 0 until features.rows) for (c in 0 until classes) {
      var s = bias[c].toDouble()
      for (j in 0 until dimensions) s += x[r * dimensions + j].toDouble() * kernel[j * classes + c]
      out[r * classes + c] = s.toFloat()
    }
    return FloatHostArray(out, intArrayOf(features.rows, classes))
  }

  /** The class of largest logit for each row (the lowest class on a tie). */
  fun predict(features: FloatHostArray): IntArray {
    val l = logits(features).data
    return IntArray(features.rows) { r ->
      var best = 0
      for (c in 1 until classes) if (l[r * classes + c] > l[r * classes + best]) best = c
      best
    }
  }

  /** The fraction of rows of [features] predicted as [labels]. */
  fun accuracy(features: FloatHostArray, labels: IntArray): Double {
    checkLabels(labels, features.rows, "labels")
    return accuracy(predict(features), labels)
  }

  internal companion object {
    fun standardised(x: FloatHostArray, mean: FloatArray, std: FloatArray): FloatArray {
      val d = x.shape[1]
      return FloatArray(x.data.size) { (x.data[it] - mean[it % d]) / std[it % d] }
    }
  }
}
