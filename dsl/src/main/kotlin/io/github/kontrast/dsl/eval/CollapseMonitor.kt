package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.TrainingControl
import java.util.function.Consumer
import kotlin.math.sqrt

/**
 * SimSiam's collapse measure, recorded in History every epoch: the embeddings of a fixed [probe]
 * batch of images are L2-normalised, and the standard deviation of each dimension over the batch is
 * averaged over the D dimensions ([embeddingStd]). Embeddings spread over the sphere give about
 * 1/sqrt(D) (exactly that in expectation for Gaussian ones); collapsed embeddings, all one vector,
 * give 0.
 *
 * When the value falls below [threshold] / sqrt(D) (default 0.1 / sqrt(D), a tenth of the healthy
 * value) a warning goes to [warnings] (standard error by default) at the end of the epoch.
 * Attach it as a callback to fit: `callbacks = listOf(CollapseMonitor(probe) { model.embed(it) })`.
 */
class CollapseMonitor private constructor(
  /** The fixed batch of images measured every epoch. */
  val probe: FloatHostArray,
  private val embed: EmbeddingFunction,
  /** The warning level as a fraction of 1/sqrt(D) (default 0.1). */
  val threshold: Double,
  /** The name the value is recorded under in History (default "embedding_std"). */
  val key: String,
  private val warnings: Consumer<String>,
) : Callback() {
  init {
    require(probe.rows >= 2) { "probe must hold at least 2 images for a standard deviation, got ${probe.rows}" }
    require(threshold > 0.0 && threshold.isFinite()) { "threshold must be > 0, got $threshold" }
    require(key.isNotBlank()) { "key must not be blank" }
  }

  constructor(probe: FloatHostArray, embed: EmbeddingFunction) :
    this(probe, embed, DEFAULT_THRESHOLD, DEFAULT_KEY, Consumer { System.err.println(it) })

  /** Warn below [fraction] / sqrt(D). */
  fun withThreshold(fraction: Double) = CollapseMonitor(probe, embed, fraction, key, warnings)

  /** Record under [key] in History (default "embedding_std"). */
  fun withKey(key: String) = CollapseMonitor(probe, embed, threshold, key, warnings)

  /** Send warnings to [sink] instead of standard error. */
  fun withWarnings(sink: Consumer<String>) = CollapseMonitor(probe, embed, threshold, key, sink)

  private val recorded = mutableListOf<Double>()
  private var pending: String? = null

  /** The values measured so far, one per epoch. */
  val values: List<Double> get() = recorded.toList()

  /** Measures the probe now: the value and, when it is below the threshold, the warning text. */
  fun measure(epoch: Int): Pair<Double, String?> {
    val e = embed.embedChecked(probe, "probe")
    val d = e.shape[1]
    val std = embeddingStd(e)
    val limit = threshold / sqrt(d.toDouble())
    val warning = if (std < limit) {
      "collapse warning, epoch $epoch: $key = ${"%.3g".format(std)} is below $threshold/sqrt($d) = ${"%.3g".format(limit)} " +
        "(spread-out embeddings give about 1/sqrt($d) = ${"%.3g".format(1 / sqrt(d.toDouble()))}): they are collapsing toward one vector"
    } else null
    return std to warning
  }

  override fun epochValues(epoch: Int): Map<String, Double> {
    val (std, warning) = measure(epoch)
    recorded += std
    pending = warning
    return mapOf(key to std)
  }

  override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {
    pending?.let { warnings.accept(it) }
    pending = null
  }

  companion object {
    /** The History key by default. */
    const val DEFAULT_KEY = "embedding_std"
    /** The warning level by default: a tenth of the 1/sqrt(D) of spread-out embeddings. */
    const val DEFAULT_THRESHOLD = 0.1

    /**
     * The mean over dimensions of the standard deviation (N - 1 in the denominator, as torch.std)
     * of the L2-normalised rows of [embeddings] ([N, D], N >= 2).
     */
    @JvmStatic
    fun embeddingStd(embeddings: FloatHostArray): Double {
      checkMatrix(embeddings, "embeddings")
      require(embeddings.rows >= 2) { "embeddings must have at least 2 rows for a standard deviation, got ${embeddings.rows}" }
      val n = embeddings.rows
      val d = embeddings.shape[1]
      val z = KnnClassifier.normalised(embeddings)
      var total = 0.0
      for (j in 0 until d) {
        var sum = 0.0
        for (r in 0 until n) sum += z[r * d + j]
        val mean = sum / n
        var sq = 0.0
        for (r in 0 until n) { val t = z[r * d + j] - mean; sq += t * t }
        total += sqrt(sq / (n - 1))
      }
      return total / d
    }
  }
}
