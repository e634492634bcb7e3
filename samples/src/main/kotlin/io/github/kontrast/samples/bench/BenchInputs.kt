package io.github.kontrast.samples.bench

/**
 * The inputs both sides of a benchmark compute for themselves, so that their loss values can be
 * compared: element e of input k is SplitMix64's output for the state (k shl 40) or e, its top 24
 * bits taken as a float in [-1, 1). Integer arithmetic only, so `tools/bench_*.py` (NumPy uint64)
 * gets the same floats bit for bit.
 */
object BenchInputs {
  /** [count] values of input [k] (k < 2^24, count < 2^40). */
  fun uniform(k: Int, count: Int): FloatArray {
    require(k in 0 until (1 shl 24)) { "k: expected an input number in [0, 2^24), got $k" }
    require(count >= 0) { "count: expected a number of values >= 0, got $count" }
    val base = k.toLong() shl 40
    return FloatArray(count) { e -> value(base or e.toLong()) }
  }

  private fun value(state: Long): Float {
    var z = state + GOLDEN
    z = (z xor (z ushr 30)) * MIX1
    z = (z xor (z ushr 27)) * MIX2
    z = z xor (z ushr 31)
    // 24 bits: exact as a float, as NumPy's float32 of the same integer
    return (z ushr 40).toFloat() * TWO_TO_MINUS_23 - 1f
  }

  private val GOLDEN = 0x9E3779B97F4A7C15uL.toLong()
  private val MIX1 = 0xBF58476D1CE4E5B9uL.toLong()
  private val MIX2 = 0x94D049BB133111EBuL.toLong()
  private val TWO_TO_MINUS_23 = Math.scalb(1f, -23)
}
