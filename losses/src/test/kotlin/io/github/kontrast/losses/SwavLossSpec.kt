package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs

class SwavLossSpec : FunSpec({
  val rnd = kotlin.random.Random(12)
  val s1 = randomMat(rnd, 6, 4)
  val s2 = randomMat(rnd, 6, 4)

  test("Sinkhorn matches document 004's algorithm; rows sum to 1, prototypes used about equally") {
    for ((eps, iters) in listOf(0.05f to 3, 0.5f to 1, 0.1f to 10)) {
      val got = Tf.eagerOn(listOf(s1)) { tf, (s) -> Sinkhorn.create().withEpsilon(eps).withIterations(iters).call(tf, s) }
      val ref = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s1), eps.toDouble(), iters)
      for (i in 0 until 6) for (k in 0 until 4) withClue("eps $eps iters $iters [$i,$k]: ${got[i * 4 + k]} vs ${ref[i][k]}") { (abs(got[i * 4 + k] - ref[i][k]) < 1e-4) shouldBe true }
      for (i in 0 until 6) (abs((0 until 4).sumOf { got[i * 4 + it].toDouble() } - 1) < 1e-5) shouldBe true
    }
    // with enough iterations each prototype carries B/P = 1.5 of the batch's mass
    val q = Tf.eagerOn(listOf(s1)) { tf, (s) -> Sinkhorn.create().withEpsilon(0.1f).withIterations(50).call(tf, s) }
    for (k in 0 until 4) {
      val mass = (0 until 6).sumOf { q[it * 4 + k].toDouble() }
      withClue("prototype $k mass $mass") { (abs(mass - 1.5) < 0.02) shouldBe true }
    }
  }

  test("Sinkhorn stays finite for a tiny epsilon (scores shifted by their max)") {
    Tf.eagerOn(listOf(s1)) { tf, (s) -> Sinkhorn.create().withEpsilon(0.001f).call(tf, s) }.shouldBeFinite("codes")
  }

  test("the swapped-prediction loss matches the reference") {
    val got = Tf.eagerOn(listOf(s1, s2)) { tf, (a, b) -> SwavLoss.create().withReduction(Reduction.NONE).call(tf, a, b) }
    val q1 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s1), 0.05, 3)
    val q2 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s2), 0.05, 3)
    for (i in 0 until 6) {
      val lp1 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s1.row(i)[it] / 0.1 })
      val lp2 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s2.row(i)[it] / 0.1 })
      val expected = -0.5 * ((0 until 4).sumOf { q1[i][it] * lp2[it] } + (0 until 4).sumOf { q2[i][it] * lp1[it] })
      (got[i] near expected) shouldBe true
    }
  }

  test("codes carry no gradient: d/ds1 = -(q2 - softmax(s1/t)) / (2t)") {
    val t = 0.1
    val g = Tf.gradients(listOf(s1, s2)) { tf, (a, b) -> SwavLoss.create().withReduction(Reduction.SUM).call(tf, a, b) }
    val q2 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s2), 0.05, 3)
    for (i in 0 until 6) {
      val p1 = Ref.softmax(DoubleArray(4) { s1.row(i)[it] / t })
      for (k in 0 until 4) (abs(g[0][i * 4 + k] - (-(q2[i][k] - p1[k]) / (2 * t))) < 1e-3) shouldBe true
    }
    g.forEach { it.shouldBeFinite("SwAV gradient") }
  }

  test("bad input and options") {
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withEpsilon(0f) }.message shouldContain "epsilon"
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withIterations(0) }.message shouldContain "iterations"
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withTemperature(0f) }.message shouldContain "temperature"
    SwavLoss.create().let { listOf(it.temperature(), it.epsilon(), it.iterations().toFloat()) } shouldBe listOf(0.1f, 0.05f, 3f)
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        SwavLoss.create().call(tf, Tf.constant(tf, s1), Tf.constant(tf, randomMat(rnd, 6, 5)))
      }.message.let { it shouldContain "[6, 4]"; it shouldContain "[6, 5]" }
      tf.constant(0f)
    }
  }
})
