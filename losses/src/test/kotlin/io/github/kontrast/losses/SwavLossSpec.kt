package io.github.kontrast.losses

import io.github.kontrast.losses.reducers.Reduction
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
    got.shouldMatch((0 until 6).map { i ->
      val lp1 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s1.row(i)[it] / 0.1 })
      val lp2 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s2.row(i)[it] / 0.1 })
      -0.5 * ((0 until 4).sumOf { q1[i][it] * lp2[it] } + (0 until 4).sumOf { q2[i][it] * lp1[it] })
    }, "per example")
  }

  test("temperature, epsilon, iterations and a whole Sinkhorn set the loss the reference computes with them") {
    // t = 0.2, epsilon 0.1, 5 iterations: every option away from its default
    val q1 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s1), 0.1, 5)
    val q2 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s2), 0.1, 5)
    val expected = (0 until 6).map { i ->
      val lp1 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s1.row(i)[it] / 0.2 })
      val lp2 = SoftmaxRefs.logSoftmax(DoubleArray(4) { s2.row(i)[it] / 0.2 })
      -0.5 * ((0 until 4).sumOf { q1[i][it] * lp2[it] } + (0 until 4).sumOf { q2[i][it] * lp1[it] })
    }
    val byOption = SwavLoss.create().withTemperature(0.2f).withEpsilon(0.1f).withIterations(5).withReduction(Reduction.NONE)
    val bySinkhorn = SwavLoss.create().withSinkhorn(Sinkhorn.create().withEpsilon(0.1f).withIterations(5))
      .withTemperature(0.2f).withReduction(Reduction.NONE)
    for ((what, loss) in listOf("withEpsilon/withIterations" to byOption, "withSinkhorn" to bySinkhorn)) {
      listOf(loss.temperature(), loss.epsilon(), loss.iterations().toFloat()) shouldBe listOf(0.2f, 0.1f, 5f)
      Tf.eagerOn(listOf(s1, s2)) { tf, (a, b) -> loss.call(tf, a, b) }.shouldMatch(expected, what)
    }
  }

  test("codes carry no gradient: d/ds1 = -(q2 - softmax(s1/t)) / (2t)") {
    val t = 0.1
    val g = Tf.gradients(listOf(s1, s2)) { tf, (a, b) -> SwavLoss.create().withReduction(Reduction.SUM).call(tf, a, b) }
    val q2 = SoftmaxRefs.sinkhorn(SoftmaxRefs.rows(s2), 0.05, 3)
    // the float32 codes (exp of scores / 0.05) carry about 1e-6 of rounding, divided by 2t
    g[0].shouldMatch((0 until 6).flatMap { i ->
      val p1 = Ref.softmax(DoubleArray(4) { s1.row(i)[it] / t })
      (0 until 4).map { k -> -(q2[i][k] - p1[k]) / (2 * t) }
    }, "d/ds1", rtol = 1e-4, atol = 1e-5)
  }

  test("bad input and options") {
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withEpsilon(0f) }.message.let { it shouldContain "epsilon"; it shouldContain "0.0" }
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withIterations(0) }.message.let { it shouldContain "iterations"; it shouldContain "got 0" }
    shouldThrow<IllegalArgumentException> { SwavLoss.create().withTemperature(-2f) }.message.let { it shouldContain "temperature"; it shouldContain "-2.0" }
    SwavLoss.create().let { listOf(it.temperature(), it.epsilon(), it.iterations().toFloat()) } shouldBe listOf(0.1f, 0.05f, 3f)
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        SwavLoss.create().call(tf, Tf.constant(tf, s1), Tf.constant(tf, randomMat(rnd, 6, 5)))
      }.message.let { it shouldContain "[6, 4]"; it shouldContain "[6, 5]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      shouldThrow<IllegalArgumentException> {
        SwavLoss.create().call(tf, Tf.placeholder(tf, 6, 4), Tf.placeholder(tf, 5, 4))
      }.message.let { it shouldContain "'scores2'"; it shouldContain "[6, 4]"; it shouldContain "[5, 4]" }
      shouldThrow<IllegalArgumentException> {
        Sinkhorn.create().call(tf, Tf.placeholder(tf, 6))
      }.message.let { it shouldContain "'scores'"; it shouldContain "rank 2"; it shouldContain "[6]" }
      SwavLoss.create().call(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4))
    }
  }
})
