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

  test("he uniform, lecun uniform and lecun normal scale with fan-in") {
    val heLimit = sqrt(6.0 / 200)
    Initializers.heUniform().values(intArrayOf(200, 10), SplittableRandom(3)).all { it in -heLimit.toFloat()..heLimit.toFloat() } shouldBe true
    val lecunLimit = sqrt(3.0 / 200)
    Initializers.lecunUniform().values(intArrayOf(200, 10), SplittableRandom(3)).all { it in -lecunLimit.toFloat()..lecunLimit.toFloat() } shouldBe true
    stats(Initializers.lecunNormal().values(intArrayOf(200, 200), SplittableRandom(4))).second shouldBe (sqrt(1.0 / 200) plusOrMinus 0.003)
  }

  test("normal, uniform, constant, zeros, ones") {
    val (m, s) = stats(Initializers.normal(1f, 0.5f).values(intArrayOf(40000), SplittableRandom(5)))
    m shouldBe (1.0 plusOrMinus 0.01)
    s shouldBe (0.5 plusOrMinus 0.01)
    Initializers.uniform(2f, 3f).values(intArrayOf(1000), SplittableRandom(6)).all { it >= 2f && it < 3f } shouldBe true
    Initializers.constant(0.25f).values(intArrayOf(2, 2), SplittableRandom(7)).toList() shouldBe List(4) { 0.25f }
    Initializers.zeros().values(intArrayOf(3), SplittableRandom(7)).toList() shouldBe List(3) { 0f }
    Initializers.ones().values(intArrayOf(3), SplittableRandom(7)).toList() shouldBe List(3) { 1f }
  }

  test("the same stream gives the same values") {
    Initializers.glorotUniform().values(intArrayOf(5, 5), SplittableRandom(9)).toList() shouldBe
      Initializers.glorotUniform().values(intArrayOf(5, 5), SplittableRandom(9)).toList()
  }
})
