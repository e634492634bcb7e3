package io.github.kontrast.dsl.engine

/**
 * What [Trainer.fit] recorded, as Keras' History: per-epoch values by key ("loss", "val_loss",
 * "pair_accuracy", "val_pair_accuracy", ...), plus the wall time of every training step so that
 * benchmarks and launchers can report a median step time and a throughput in the pipeline's
 * [unit] ("pairs" for a Siamese pipeline, "images" for SimCLR). A loss with several terms adds a
 * key per term, "<term>_loss", next to the total "loss".
 */
class History @JvmOverloads constructor(
  /** What one example is: "pairs", "images", "image-text pairs". */
  val unit: String = "examples",
) {
  private val values = LinkedHashMap<String, MutableList<Double>>()
  private val epochList = mutableListOf<Int>()
  private val steps = mutableListOf<Double>()
  private val sizes = mutableListOf<Int>()

  /** Per-epoch values by key, in the order the keys first appeared. */
  val history: Map<String, List<Double>> get() = values.mapValues { it.value.toList() }

  /** The 1-based numbers of the recorded epochs (they continue after a restore). */
  val epochs: List<Int> get() = epochList.toList()

  /** Milliseconds of every training step: feeding, the session run and reading the results. */
  val stepMillis: List<Double> get() = steps.toList()

  /** Examples in every training step, parallel to [stepMillis]; in data-parallel training, every worker's. */
  val stepSizes: List<Int> get() = sizes.toList()

  /** The values of [key] per epoch; fails naming the keys there are. */
  operator fun get(key: String): List<Double> =
    values[key]?.toList() ?: throw IllegalArgumentException("history has no key '$key'; it has ${values.keys}")

  /** Whether [key] was recorded. */
  fun contains(key: String): Boolean = key in values

  /** The keys, e.g. [loss, pair_accuracy, val_loss, val_pair_accuracy]. */
  val keys: Set<String> get() = values.keys.toSet()

  /** Median step time in milliseconds, NaN before any step. */
  fun stepMillisMedian(): Double {
    if (steps.isEmpty()) return Double.NaN
    val s = steps.sorted()
    val m = s.size / 2
    return if (s.size % 2 == 1) s[m] else (s[m - 1] + s[m]) / 2
  }

  /** Examples ([unit]: pairs, for a Siamese model) per second at the median step time and the usual batch size. */
  fun examplesPerSecond(): Double {
    if (steps.isEmpty()) return Double.NaN
    val typical = sizes.groupingBy { it }.eachCount().maxByOrNull { it.value }!!.key
    return typical / (stepMillisMedian() / 1000.0)
  }

  /** Appends one epoch's values. */
  fun addEpoch(epoch: Int, logs: Map<String, Double>) {
    epochList += epoch
    val n = epochList.size
    for ((k, v) in logs) {
      val list = values.getOrPut(k) { MutableList(n - 1) { Double.NaN } }
      list += v
    }
    // a key missing this epoch (say, no validation) keeps the lists aligned with epochs
    values.values.forEach { if (it.size < n) it += Double.NaN }
  }

  /** Records one training step's time. */
  fun addStep(millis: Double, examples: Int) {
    steps += millis
    sizes += examples
  }

  override fun toString(): String = "History(epochs=$epochList, unit=$unit, ${values.entries.joinToString { "${it.key}=${it.value}" }})"
}
