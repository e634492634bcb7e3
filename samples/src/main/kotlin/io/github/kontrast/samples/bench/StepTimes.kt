package io.github.kontrast.samples.bench

/** Wall times of measured training steps, in milliseconds, and their summary statistics. */
class StepTimes(millis: List<Double>) {
  /** The measured steps in the order they ran. */
  val millis: List<Double> = millis.toList()

  init {
    require(this.millis.isNotEmpty()) { "millis: expected at least one measured step, got none" }
    require(this.millis.all { it.isFinite() && it >= 0.0 }) { "millis: expected finite times >= 0, got ${this.millis}" }
  }

  private val sorted = this.millis.sorted()

  val steps: Int get() = millis.size

  /** The middle value; the mean of the two middle ones for an even count. */
  val median: Double = percentile(50.0)

  /** 90th percentile. */
  val p90: Double = percentile(90.0)

  val min: Double get() = sorted.first()

  /** Linear interpolation between closest ranks (NumPy's default). */
  fun percentile(p: Double): Double {
    require(p in 0.0..100.0) { "p: expected a percentile in [0, 100], got $p" }
    val rank = p / 100.0 * (sorted.size - 1)
    val low = rank.toInt()
    val high = minOf(low + 1, sorted.size - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
  }

  override fun toString(): String = "median %.2f ms, p90 %.2f ms, min %.2f ms over %d steps".format(median, p90, min, steps)
}
