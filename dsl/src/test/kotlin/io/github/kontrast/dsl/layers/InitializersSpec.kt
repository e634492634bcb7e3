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

  test("fans: dense [in, out]; conv [kh, kw, in, out] times the receptive field") {
    fans(intArrayOf(100, 50)) shouldBe (100.0 to 50.0)
    fans(intArrayOf(3, 3, 4, 8)) shouldBe (36.0 to 72.0)
    fans(intArrayOf(7)) shouldBe (7.0 to 7.0)
  }

  test("glorot uniform: within +-sqrt(6 / (fanIn + fanOut)), variance limit^2 / 3") {
    val limit = sqrt(6.0 / 150)
    val v = Initializers.glorotUniform().values(intArrayOf(100, 50), SplittableRandom(1))
    v.all { it >= -limit && it <= limit } shouldBe true
    stats(v).second shouldBe (limit / sqrt(3.0) plusOrMinus 0.01 * limit)
  }

  test("he normal: stddev sqrt(2 / fanIn), truncated at two of Keras' corrected stddevs") {
    val v = Initializers.heNormal().values(intArrayOf(3, 3, 20, 200), SplittableRandom(2))
    val std = sqrt(2.0 / 180)
    val (mean, s) = stats(v)
    mean shouldBe (0.0 plusOrMinus 0.01 * std)
    s shouldBe (std plusOrMinus 0.03 * std)
    v.all { kotlin.math.abs(it) <= 2 * std / 0.87962566103423978 + 1e-6 } shouldBe true
  }

  // Sample statistics of n draws: the standard deviation of a uniform on +-a has a standard error of
  // about 0.26 a / sqrt(n), that of a normal sigma / sqrt(2 n); the bounds below are about 5 of them.
  test("he uniform and lecun uniform: +-sqrt(6 / fanIn) and +-sqrt(3 / fanIn), spread over the whole range") {
    for ((initializer, limit) in listOf(Initializers.heUniform() to sqrt(6.0 / 200), Initializers.lecunUniform() to sqrt(3.0 / 200))) {
      val v = initializer.values(intArrayOf(200, 50), SplittableRandom(3))
      v.all { it >= -limit && it <= limit } shouldBe true
      val (mean, s) = stats(v)
      mean shouldBe (0.0 plusOrMinus 0.03 * limit)
      s shouldBe (limit / sqrt(3.0) plusOrMinus 0.02 * limit)
      // 10,000 draws come within 0.1% of both ends
      v.maxOrNull()!!.toDouble() shouldBe (limit plusOrMinus 0.002 * limit)
      v.minOrNull()!!.toDouble() shouldBe (-limit plusOrMinus 0.002 * limit)
    }
  }

  test("lecun normal and glorot normal: truncated normals of stddev sqrt(1 / fanIn) and sqrt(2 / (fanIn + fanOut))") {
    stats(Initializers.lecunNormal().values(intArrayOf(200, 200), SplittableRandom(4))).second shouldBe (sqrt(1.0 / 200) plusOrMinus 0.02 * sqrt(1.0 / 200))
    val v = Initializers.glorotNormal().values(intArrayOf(3, 3, 16, 32), SplittableRandom(8))
    // fans 144 and 288: stddev sqrt(2 / 432); truncated at 2 of Keras' corrected stddevs
    val std = sqrt(2.0 / 432)
    val (mean, s) = stats(v)
    mean shouldBe (0.0 plusOrMinus 0.075 * std)
    s shouldBe (std plusOrMinus 0.05 * std)
    v.all { kotlin.math.abs(it) <= 2 * std / 0.87962566103423978 + 1e-6 } shouldBe true
  }

  test("variance scaling by fan-out") {
    val v = Initializers.varianceScaling(3.0, Initializers.Mode.FAN_OUT, uniform = true).values(intArrayOf(10, 300), SplittableRandom(10))
    val limit = sqrt(3 * 3.0 / 300)
    v.all { it >= -limit && it <= limit } shouldBe true
    stats(v).second shouldBe (limit / sqrt(3.0) plusOrMinus 0.025 * limit)
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
