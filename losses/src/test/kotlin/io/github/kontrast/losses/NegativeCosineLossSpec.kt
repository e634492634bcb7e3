package io.github.kontrast.losses

import io.github.kontrast.losses.reducers.Reduction
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
    got.shouldMatch((0 until 3).map { i -> -(Ref.cos(p1.row(i), z2.row(i)) + Ref.cos(p2.row(i), z1.row(i))) / 2 }, "per pair")
  }

  test("stop-gradient on z: the loss does not reach z; p matches finite differences of the reference") {
    Tf.connected(listOf(p1, p2, z1, z2)) { tf, (a, b, c, d) -> NegativeCosineLoss.create().call(tf, a, b, c, d) } shouldBe
      listOf(true, true, false, false)
    // finite differences would move z too, so check p alone with z held as constants
    Tf.checkGradients(listOf(p1, p2), reference = { (a, b) ->
      (0 until 3).map { i -> -(Ref.cos(a.row(i), z2.row(i)) + Ref.cos(b.row(i), z1.row(i))) / 2 }.average()
    }) { tf, (a, b) -> NegativeCosineLoss.create().call(tf, a, b, Tf.constant(tf, z1), Tf.constant(tf, z2)) }
  }

  test("gradients at zero vectors and identical rows have their hand-derived values") {
    // rows 0 and (1,1), p = z: the gradient of -cos(p, z) at p = z is -(z/|p||z| - p/|p|^2) = 0;
    // at the zero row the guard's 1e6 multiplies n(z) = 0: also 0. z is not reached.
    val zero = mat(f(0, 0), f(1, 1))
    Tf.gradients(listOf(zero, zero.copy(), zero.copy(), zero.copy()), wrt = listOf(0, 1)) { tf, (a, b, c, d) ->
      NegativeCosineLoss.create().call(tf, a, b, c, d)
    }.forEach { it.shouldMatch(List(4) { 0.0 }, "SimSiam gradient at zero vectors", atol = 1e-6) }
    // p = (1, 0) against z = (0, 1): -cos has gradient -z/|p||z| = (0, -1), halved by the
    // symmetric form's 1/2 (the other half pairs p2 with z1)
    Tf.gradients(listOf(mat(f(1, 0)), mat(f(1, 0)), mat(f(0, 1)), mat(f(0, 1))), wrt = listOf(0, 1)) { tf, (a, b, c, d) ->
      NegativeCosineLoss.create().call(tf, a, b, c, d)
    }.forEach { it.shouldMatch(listOf(0.0, -0.5), "orthogonal pair") }
  }

  test("bad input") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        NegativeCosineLoss.create().call(tf, Tf.constant(tf, p1), Tf.constant(tf, p2), Tf.constant(tf, z1), Tf.constant(tf, randomMat(rnd, 2, 4)))
      }.message.let { it shouldContain "'z2'"; it shouldContain "[2, 4]"; it shouldContain "[3, 4]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        NegativeCosineLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5))
      }.message.let { it shouldContain "'z'"; it shouldContain "[3, 4]"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> {
        NegativeCosineLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4))
      }.message.let { it shouldContain "'p1'"; it shouldContain "'p2'"; it shouldContain "[3, 4]"; it shouldContain "[3, 5]" }
      shouldThrow<IllegalArgumentException> {
        NegativeCosineLoss.create().call(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 4), Tf.placeholder(tf, 3, 4))
      }.message.let { it shouldContain "'p1'"; it shouldContain "'z1'"; it shouldContain "[3, 4]"; it shouldContain "[2, 4]" }
      NegativeCosineLoss.create().call(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4))
    }
  }
})
