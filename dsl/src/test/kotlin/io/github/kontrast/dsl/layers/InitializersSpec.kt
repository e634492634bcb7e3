package io.github.kontrast.dsl.layers

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom
import kotlin.math.sqrt

/** Keras' initializers: bounds and variances from the fan-in and fan-out of the shape. */
class InitializersSpec : FunSpec({
  fun stats(v: FloatArray): Pair<Double, Double> {
    val mean = v.average()
    return mean to sqrt(v.sumOf { (it - mean) * (it - mean) } / v.size)
  }

  // Sample statistics of n draws: the mean has a standard error of sigma / sqrt(n); the standard
  // deviation one of about 0.26 a / sqrt(n) for a uniform on +-a, sigma / sqrt(2 n) for a normal.
  // The bounds below are 2 to 8 of them (the seeds are fixed, so the checks are deterministic).

  /** Uniform on +-[limit]: inside it, centred, with stddev limit / sqrt 3 (within [spread] * limit). */
  fun checkUniform(v: FloatArray, limit: Double, spread: Double) {
    v.all { it >= -limit && it <= limit } shouldBe true
    val (mean, s) = stats(v)
    mean shouldBe (0.0 plusOrMinus 0.03 * limit)
    s shouldBe (limit / sqrt(3.0) plusOrMinus spread * limit)
  }

  /** Keras' truncated normal of stddev [std]: cut at 2 of the corrected stddevs std / 0.8796, centred, with stddev [std]. */
  fun checkTruncatedNormal(v: FloatArray, std: Double, meanTolerance: Double, stdTolerance: Double) {
    val (mean, s) = stats(v)
    mean shouldBe (0.0 plusOrMinus meanTolerance * std)
    s shouldBe (std plusOrMinus stdTolerance * std)
    v.all { kotlin.math.abs(it) <= 2 * std / 0.87962566103423978 + 1e-6 } shouldBe true
  }

  test("fans: dense [in, out]; conv [kh, kw, in, out] times the receptive field") {
    fans(intArrayOf(100, 50)) shouldBe (100.0 to 50.0)
    fans(intArrayOf(3, 3, 4, 8)) shouldBe (36.0 to 72.0)
    fans(intArrayOf(7)) shouldBe (7.0 to 7.0)
  }

  test("glorot uniform: within +-sqrt(6 / (fanIn + fanOut)), variance limit^2 / 3") {
    checkUniform(Initializers.glorotUniform().values(intArrayOf(100, 50), SplittableRandom(1)), sqrt(6.0 / 150), 0.01)
  }

  test("he normal: stddev sqrt(2 / fanIn), truncated at two of Keras' corrected stddevs") {
    checkTruncatedNormal(Initializers.heNormal().values(intArrayOf(3, 3, 20, 200), SplittableRandom(2)), sqrt(2.0 / 180), 0.01, 0.03)
  }

  test("he uniform and lecun uniform: +-sqrt(6 / fanIn) and +-sqrt(3 / fanIn), spread over the whole range") {
    for ((initializer, limit) in listOf(Initializers.heUniform() to sqrt(6.0 / 200), Initializers.lecunUniform() to sqrt(3.0 / 200))) {
      val v = initializer.values(intArrayOf(200, 50), SplittableRandom(3))
      checkUniform(v, limit, 0.02)
      // 10,000 draws come within 0.1% of both ends
      v.maxOrNull()!!.toDouble() shouldBe (limit plusOrMinus 0.002 * limit)
      v.minOrNull()!!.toDouble() shouldBe (-limit plusOrMinus 0.002 * limit)
    }
  }

  test("lecun normal and glorot normal: truncated normals of stddev sqrt(1 / fanIn) and sqrt(2 / (fanIn + fanOut))") {
    checkTruncatedNormal(Initializers.lecunNormal().values(intArrayOf(200, 200), SplittableRandom(4)), sqrt(1.0 / 200), 0.02, 0.02)
    // fans 144 and 288
    checkTruncatedNormal(Initializers.glorotNormal().values(intArrayOf(3, 3, 16, 32), SplittableRandom(8)), sqrt(2.0 / 432), 0.075, 0.05)
  }

  test("variance scaling by fan-out") {
    val v = Initializers.varianceScaling(3.0, Initializers.Mode.FAN_OUT, uniform = true).values(intArrayOf(10, 300), SplittableRandom(10))
    checkUniform(v, sqrt(3 * 3.0 / 300), 0.025)
  }

  test("normal, truncated normal, uniform, constant, zeros, ones") {
    val (m, s) = stats(Initializers.normal(1f, 0.5f).values(intArrayOf(40000), SplittableRandom(5)))
    m shouldBe (1.0 plusOrMinus 0.01)
    s shouldBe (0.5 plusOrMinus 0.01)
    // Keras' TruncatedNormal: the stddev given is that of the normal before cutting at 2 of them,
    // so the values spread with 0.5 * 0.8796 (a unit normal cut at +-2 has stddev 0.87962566)
    val t = Initializers.truncatedNormal(-1f, 0.5f).values(intArrayOf(40000), SplittableRandom(11))
    t.all { it >= -2f - 1e-6f && it <= 1e-6f } shouldBe true
    stats(t).first shouldBe (-1.0 plusOrMinus 0.01)
    stats(t).second shouldBe (0.5 * 0.87962566103423978 plusOrMinus 0.008)
    val u = Initializers.uniform(2f, 3f).values(intArrayOf(10000), SplittableRandom(6))
    u.all { it >= 2f && it < 3f } shouldBe true
    stats(u).first shouldBe (2.5 plusOrMinus 0.015)
    stats(u).second shouldBe (1 / sqrt(12.0) plusOrMinus 0.007)
    Initializers.constant(0.25f).values(intArrayOf(2, 2), SplittableRandom(7)).toList() shouldBe List(4) { 0.25f }
    Initializers.zeros().values(intArrayOf(3), SplittableRandom(7)).toList() shouldBe List(3) { 0f }
    Initializers.ones().values(intArrayOf(3), SplittableRandom(7)).toList() shouldBe List(3) { 1f }
  }

  test("the same stream gives the same values") {
    Initializers.glorotUniform().values(intArrayOf(5, 5), SplittableRandom(9)).toList() shouldBe
      Initializers.glorotUniform().values(intArrayOf(5, 5), SplittableRandom(9)).toList()
  }
})
