package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.abs

class NtXentLossSpec : FunSpec({
  test("hand-derived: B = 1, two orthogonal views, t = 0.5") {
    // z = [(1,0); (0,1)]: each anchor has only its positive left after masking itself: loss 0
    val v = Tf.eagerOn(listOf(mat(f(1, 0)), mat(f(0, 1)))) { tf, (a, b) -> NtXentLoss.create().call(tf, a, b) }[0]
    (v near 0.0) shouldBe true
    // B = 2: z1 = [e1, e2], z2 = [e1, -e2]; anchor e1: logits to (e2, e1, -e2) = (0, 2, 0) / 0.5 -> positive 2/0.5 = 4... by the reference
    val z1 = mat(f(1, 0), f(0, 1))
    val z2 = mat(f(1, 0), f(0, -1))
    val got = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().withReduction(Reduction.NONE).call(tf, a, b) }
    got.size shouldBe 4
    // anchor 0 (e1): others e2 (0), e1 (1, the positive), -e2 (0): -log(e^2 / (e^0 + e^2 + e^0))
    (got[0] near -kotlin.math.ln(kotlin.math.exp(2.0) / (2 + kotlin.math.exp(2.0)))) shouldBe true
    got.toList().zip(SoftmaxRefs.ntXent(z1, z2, 0.5)).forEach { (a, e) -> (a near e) shouldBe true }
  }

  test("random batch against the reference, mean over 2B anchors") {
    val rnd = kotlin.random.Random(9)
    val z1 = randomMat(rnd, 5, 3)
    val z2 = randomMat(rnd, 5, 3)
    for (t in listOf(0.5f, 0.1f)) {
      val got = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().withTemperature(t).call(tf, a, b) }[0]
      (got near SoftmaxRefs.ntXent(z1, z2, t.toDouble()).average()) shouldBe true
    }
  }

  test("property: invariant to scaling the embeddings") {
    checkAll(20, Arb.long(), Arb.float(0.01f..100f, includeNaNs = false)) { seed, scale ->
      val rnd = kotlin.random.Random(seed)
      val z1 = randomMat(rnd, 4, 3)
      val z2 = randomMat(rnd, 4, 3)
      val base = Tf.eagerOn(listOf(z1, z2)) { tf, (a, b) -> NtXentLoss.create().call(tf, a, b) }[0]
      val scaled = Tf.eagerOn(listOf(z1.copy(FloatArray(12) { z1.data[it] * scale }), z2.copy(FloatArray(12) { z2.data[it] * scale }))) { tf, (a, b) ->
        NtXentLoss.create().call(tf, a, b)
      }[0]
      (abs(base - scaled) <= 1e-4f * maxOf(1f, abs(base))) shouldBe true
    }
  }

  test("gradients match finite differences; finite at t = 0.01, identical views and zero vectors") {
    val rnd = kotlin.random.Random(2)
    Tf.checkGradients(listOf(randomMat(rnd, 3, 4), randomMat(rnd, 3, 4))) { tf, (a, b) -> NtXentLoss.create().call(tf, a, b) }
    val same = mat(f(1, 2), f(0, 0))
    Tf.gradients(listOf(same, same.copy())) { tf, (a, b) -> NtXentLoss.create().withTemperature(0.01f).call(tf, a, b) }
      .forEach { it.shouldBeFinite("NT-Xent gradient") }
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { NtXentLoss.create().withTemperature(0f) }.message shouldContain "temperature"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        NtXentLoss.create().call(tf, Tf.constant(tf, mat(f(1, 2), f(3, 4))), Tf.constant(tf, mat(f(1, 2))))
      }.message.let { it shouldContain "'z1'"; it shouldContain "'z2'"; it shouldContain "[2, 2]"; it shouldContain "[1, 2]" }
      shouldThrow<IllegalArgumentException> {
        val empty = Arr(longArrayOf(0, 3), FloatArray(0))
        NtXentLoss.create().call(tf, Tf.constant(tf, empty), Tf.constant(tf, empty))
      }.message shouldContain "empty batch"
      tf.constant(0f)
    }
  }
})
