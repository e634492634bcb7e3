package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.roundToInt

/**
 * Document 004's temperature demo: softmax([0.8, 0.3, 0.1, -0.2] / t). The document prints
 * [0.42, 0.25, 0.21, 0.15] for t = 1.0, which sums to 1.03: the true values are
 * [0.404695, 0.245460, 0.200966, 0.148879], so 0.42 and 0.21 are off (0.40 and 0.20 when rounded).
 * For t = 0.1 its [0.99, 0.01, 0.00, 0.00] is right to two places: [0.992364, 0.006686, 0.000905,
 * 0.000045].
 */
class TemperatureDemoSpec : FunSpec({
  val sims = f(0.8, 0.3, 0.1, -0.2)

  fun softmax(t: Float) = Tf.eager { tf -> tf.nn.softmax(tf.math.div(tf.constant(arrayOf(sims)), tf.constant(t))) }

  fun reference(t: Double): DoubleArray {
    val e = sims.map { exp(it / t) }
    return e.map { it / e.sum() }.toDoubleArray()
  }

  test("t = 1.0: true values, and where the document's rounding is off") {
    val p = softmax(1f)
    val ref = reference(1.0)
    p.shouldMatch(ref, "softmax at t = 1")
    // the true values rounded to six places (hence the 5e-7)
    p.shouldMatch(listOf(0.404695, 0.245460, 0.200966, 0.148879), "t = 1", rtol = 0.0, atol = 5e-7 + 1e-7)
    val twoPlaces = p.map { (it * 100).roundToInt() / 100.0 }
    twoPlaces shouldBe listOf(0.40, 0.25, 0.20, 0.15)
    val printed = listOf(0.42, 0.25, 0.21, 0.15)
    printed.zip(twoPlaces).map { (a, b) -> abs(a - b) < 1e-9 } shouldBe listOf(false, true, false, true)
  }

  test("t = 0.1: the document's values are right to two places") {
    val p = softmax(0.1f)
    val ref = reference(0.1)
    p.indices.forEach { (abs(p[it] - ref[it]) < 1e-6) shouldBe true }
    p.shouldMatch(listOf(0.992364, 0.006686, 0.000905, 0.000045), "t = 0.1", rtol = 0.0, atol = 5e-7 + 1e-7)
    p.map { (it * 100).roundToInt() / 100.0 } shouldBe listOf(0.99, 0.01, 0.0, 0.0)
  }

  test("the same numbers as InfoNCE's probability of the positive: exp(-loss)") {
    // D = 1, raw vectors: logits are exactly the similarities / t, the positive first
    for (t in listOf(1.0f, 0.1f)) {
      val loss = Tf.eager { tf ->
        InfoNceLoss.create().withDistance(Distances.dot()).withTemperature(t).call(
          tf, tf.constant(arrayOf(f(1))), tf.constant(arrayOf(f(0.8))), tf.constant(arrayOf(arrayOf(f(0.3), f(0.1), f(-0.2)))))
      }[0]
      (exp(-loss.toDouble()).toFloat() near reference(t.toDouble())[0]) shouldBe true
    }
  }
})
