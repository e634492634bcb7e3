package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.abs

class SupConLossSpec : FunSpec({
  val rnd = kotlin.random.Random(4)
  val feats = randomMat(rnd, 6, 3)
  val labels = intArrayOf(0, 1, 0, 2, 1, 0)

  test("matches the reference per anchor; the lone class-2 anchor gives 0, not NaN") {
    val got = Tf.eager { tf -> SupConLoss.create().withReduction(Reduction.NONE).call(tf, Tf.constant(tf, feats), tf.constant(labels)) }
    val ref = SoftmaxRefs.supCon(feats, labels, 0.07)
    got.toList().zip(ref).forEach { (a, e) -> (a near e) shouldBe true }
    got[3] shouldBe 0f
    val mean = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(labels)) }[0]
    (mean near ref.average()) shouldBe true
    // TInt64 labels too
    val long = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(labels.map { it.toLong() }.toLongArray())) }[0]
    long shouldBe mean
  }

  test("no positives at all: loss 0 and finite gradients") {
    val v = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(intArrayOf(0, 1, 2, 3, 4, 5))) }[0]
    v shouldBe 0f
    Tf.gradients(listOf(feats)) { tf, (x) -> SupConLoss.create().call(tf, x, tf.constant(intArrayOf(0, 1, 2, 3, 4, 5))) }[0]
      .shouldBeFinite("gradient without positives")
  }

  test("property: equals NT-Xent when each class has exactly two members laid out as [z1; z2]") {
    checkAll(15, Arb.long(), Arb.int(1, 5)) { seed, b ->
      val r = kotlin.random.Random(seed)
      val z1 = randomMat(r, b, 3)
      val z2 = randomMat(r, b, 3)
      val t = 0.3f
      val nt = Tf.eagerOn(listOf(z1, z2)) { tf, (a, c) -> NtXentLoss.create().withTemperature(t).call(tf, a, c) }[0]
      val stacked = Arr(longArrayOf(2L * b, 3), z1.data + z2.data)
      val classes = IntArray(2 * b) { it % b }
      val sc = Tf.eager { tf -> SupConLoss.create().withTemperature(t).call(tf, Tf.constant(tf, stacked), tf.constant(classes)) }[0]
      (abs(nt - sc) <= 1e-4f * maxOf(1f, abs(nt))) shouldBe true
    }
  }

  test("gradients match finite differences; finite at t = 0.01 with duplicates and zero vectors") {
    Tf.checkGradients(listOf(feats)) { tf, (x) -> SupConLoss.create().withTemperature(0.5f).call(tf, x, tf.constant(labels)) }
    val dup = mat(f(1, 0), f(1, 0), f(0, 0), f(-1, 0))
    Tf.gradients(listOf(dup)) { tf, (x) -> SupConLoss.create().withTemperature(0.01f).call(tf, x, tf.constant(intArrayOf(0, 0, 1, 1))) }[0]
      .shouldBeFinite("SupCon gradient at t = 0.01")
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { SupConLoss.create().withTemperature(-0.07f) }.message shouldContain "temperature"
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(intArrayOf(0, 1)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[2]"; it shouldContain "[6, 3]" }
      tf.constant(0f)
    }
  }
})
