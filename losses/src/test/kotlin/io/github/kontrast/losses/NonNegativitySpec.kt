package io.github.kontrast.losses

import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll

/** The cross-entropy family is >= 0 per example for any inputs and temperatures; SimSiam's is >= -1. */
class NonNegativitySpec : FunSpec({
  test("property: per-example losses are >= 0 (SimSiam >= -1)") {
    checkAll(20, Arb.long(), Arb.int(1, 5), Arb.float(0.01f..2f, includeNaNs = false)) { seed, b, t ->
      val r = kotlin.random.Random(seed)
      val a = randomMat(r, b, 3, 3f)
      val c = randomMat(r, b, 3, 3f)
      val negs = Arr(longArrayOf(b.toLong(), 2, 3), FloatArray(b * 6) { r.nextFloat() * 2 - 1 })
      val classes = IntArray(b) { r.nextInt(3) }
      val none = Reduction.NONE
      val values = mapOf(
        "infonce" to Tf.eagerOn(listOf(a, c, negs)) { tf, (x, y, n) -> InfoNceLoss.create().withTemperature(t).withReduction(none).call(tf, x, y, n) },
        "infonce in-batch" to Tf.eagerOn(listOf(a, c)) { tf, (x, y) -> InfoNceLoss.create().withTemperature(t).withReduction(none).call(tf, x, y) },
        "nt-xent" to Tf.eagerOn(listOf(a, c)) { tf, (x, y) -> NtXentLoss.create().withTemperature(t).withReduction(none).call(tf, x, y) },
        "supcon" to Tf.eager { tf -> SupConLoss.create().withTemperature(t).withReduction(none).call(tf, Tf.constant(tf, a), tf.constant(classes)) },
        "clip" to Tf.eagerOn(listOf(a, c, scalar(1f / t))) { tf, (x, y, s) -> ClipLoss.create().withReduction(none).call(tf, x, y, s) },
        "swav" to Tf.eagerOn(listOf(a, c)) { tf, (x, y) -> SwavLoss.create().withTemperature(t).withReduction(none).call(tf, x, y) },
        "moco" to Tf.eagerOn(listOf(a, c)) { tf, (x, y) -> MocoLoss.create().withTemperature(t).withReduction(none).call(tf, x, y) },
      )
      values.forEach { (name, v) ->
        v.forEachIndexed { i, x -> withClue("$name[$i] = $x at t = $t") { (x.isFinite() && x >= -1e-6f) shouldBe true } }
      }
      val simsiam = Tf.eagerOn(listOf(a, c, c, a)) { tf, (p1, p2, z1, z2) -> NegativeCosineLoss.create().withReduction(none).call(tf, p1, p2, z1, z2) }
      simsiam.forEach { (it >= -1f - 1e-6f && it <= 1f + 1e-6f) shouldBe true }
    }
  }
})
