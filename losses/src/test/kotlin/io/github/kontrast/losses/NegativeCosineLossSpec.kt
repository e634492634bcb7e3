package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class NegativeCosineLossSpec : FunSpec({
  val rnd = kotlin.random.Random(8)
  val p1 = randomMat(rnd, 3, 4)
  val p2 = randomMat(rnd, 3, 4)
  val z1 = randomMat(rnd, 3, 4)
  val z2 = randomMat(rnd, 3, 4)

  test("hand-derived: parallel -1, orthogonal 0, opposite 1") {
    val v = Tf.eagerOn(listOf(mat(f(1, 0), f(1, 0), f(2, 0)), mat(f(3, 0), f(0, 5), f(-1, 0)))) { tf, (p, z) ->
      NegativeCosineLoss.create().withReduction(Reduction.NONE).call(tf, p, z)
    }
    v.toList() shouldBe listOf(-1f, 0f, 1f)
  }

  test("symmetric form: D(p1, z2)/2 + D(p2, z1)/2") {
    val got = Tf.eagerOn(listOf(p1, p2, z1, z2)) { tf, (a, b, c, d) -> NegativeCosineLoss.create().withReduction(Reduction.NONE).call(tf, a, b, c, d) }
    got.forEachIndexed { i, v -> (v near -(Ref.cos(p1.row(i), z2.row(i)) + Ref.cos(p2.row(i), z1.row(i))) / 2) shouldBe true }
  }

  test("stop-gradient on z: z gets zero gradient, p matches finite differences") {
    val g = Tf.gradients(listOf(p1, p2, z1, z2)) { tf, (a, b, c, d) -> NegativeCosineLoss.create().call(tf, a, b, c, d) }
    g[2].all { it == 0f } shouldBe true
    g[3].all { it == 0f } shouldBe true
    // finite differences move z too, so check p alone with z held as constants
    Tf.checkGradients(listOf(p1, p2)) { tf, (a, b) ->
      NegativeCosineLoss.create().call(tf, a, b, Tf.constant(tf, z1), Tf.constant(tf, z2))
    }
    val zero = mat(f(0, 0), f(1, 1))
    Tf.gradients(listOf(zero, zero.copy(), zero.copy(), zero.copy())) { tf, (a, b, c, d) -> NegativeCosineLoss.create().call(tf, a, b, c, d) }
      .forEach { it.shouldBeFinite("SimSiam gradient at zero vectors") }
  }

  test("bad input") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        NegativeCosineLoss.create().call(tf, Tf.constant(tf, p1), Tf.constant(tf, p2), Tf.constant(tf, z1), Tf.constant(tf, randomMat(rnd, 2, 4)))
      }.message.let { it shouldContain "'z2'"; it shouldContain "[2, 4]" }
      tf.constant(0f)
    }
  }
})
