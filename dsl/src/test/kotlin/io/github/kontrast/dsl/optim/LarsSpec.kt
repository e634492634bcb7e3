package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32
import kotlin.math.sqrt

/** One parameter "encoder/kernel" with a gradient that does not depend on the weights. */
private class ConstantGradient(initial: DoubleArray, private val g: DoubleArray) : TestProblem {
  override val parameters = listOf(TestParameter("encoder/kernel", longArrayOf(initial.size.toLong()), initial))

  override fun gradientOps(tf: Ops, variables: List<Variable<TFloat32>>): List<Operand<TFloat32>> =
    listOf(tf.constant(FloatArray(g.size) { g[it].toFloat() }))

  override fun gradient(weights: List<DoubleArray>): List<DoubleArray> = listOf(g.copyOf())
}

private fun norm(x: DoubleArray) = sqrt(x.sumOf { it * it })

class LarsSpec : FunSpec({
  val rates = listOf(0.5, 0.4, 0.3)

  fun larsReference(
    problem: TestProblem,
    momentum: Double,
    weightDecay: Double,
    eta: Double,
    nesterov: Boolean,
    excluded: (String) -> Boolean,
  ): List<List<DoubleArray>> {
    val accumulators = problem.parameters.map { DoubleArray(it.initial.size) }
    return reference(problem, rates) { weights, gradients, lr, _ ->
      weights.indices.map { p ->
        val w = weights[p]
        val g = gradients[p]
        val skip = excluded(problem.parameters[p].name)
        val denominator = norm(g) + weightDecay * norm(w)
        val trust = if (skip || norm(w) == 0.0 || denominator == 0.0) 1.0 else eta * norm(w) / denominator
        val wd = if (skip) 0.0 else weightDecay
        val a = accumulators[p]
        DoubleArray(w.size) { i ->
          val scaled = lr * trust * (g[i] + wd * w[i])
          a[i] = momentum * a[i] + scaled
          w[i] - if (nesterov) scaled + momentum * a[i] else a[i]
        }
      }
    }
  }

  test("the trust ratio is eta * ||w|| / (||g|| + wd * ||w||)") {
    // ||w|| = 5, ||g|| = 1: trust = 0.1 * 5 / (1 + 0.2 * 5) = 0.25; step = 0.5 * 0.25 * (g + 0.2 w)
    val problem = ConstantGradient(doubleArrayOf(3.0, 4.0), doubleArrayOf(0.6, 0.8))
    val run = runOptimizer(lars(0.5, momentum = 0.0, weightDecay = 0.2, eta = 0.1), problem, listOf(0.5))
    run.weightsAfterStep[0][0][0] shouldBe (3.0 - 0.125 * (0.6 + 0.6) plusOrMinus 1e-6)
    run.weightsAfterStep[0][0][1] shouldBe (4.0 - 0.125 * (0.8 + 0.8) plusOrMinus 1e-6)
  }

  test("weights and a denominator of norm below 1 still get the trust ratio, not the fallback") {
    // ||w|| = 0.5, ||g|| = 1: trust = 0.1 * 0.5 / (1 + 0.2 * 0.5) = 0.05 / 1.1;
    // step = 0.5 * trust * (g + 0.2 w) = (0.025 / 1.1) * (0.66, 0.88) = (0.015, 0.02)
    val problem = ConstantGradient(doubleArrayOf(0.3, 0.4), doubleArrayOf(0.6, 0.8))
    val run = runOptimizer(lars(0.5, momentum = 0.0, weightDecay = 0.2, eta = 0.1), problem, listOf(0.5))
    run.weightsAfterStep[0][0][0] shouldBe (0.285 plusOrMinus 1e-6)
    run.weightsAfterStep[0][0][1] shouldBe (0.38 plusOrMinus 1e-6)
    // a gradient ten times smaller: denominator 0.1 + 0.2 * 0.5 = 0.2, trust = 0.05 / 0.2 = 0.25;
    // step = 0.5 * 0.25 * (0.06 + 0.06, 0.08 + 0.08) = (0.015, 0.02) again (the trust ratio undoes the scale)
    val small = ConstantGradient(doubleArrayOf(0.3, 0.4), doubleArrayOf(0.06, 0.08))
    val smallRun = runOptimizer(lars(0.5, momentum = 0.0, weightDecay = 0.2, eta = 0.1), small, listOf(0.5))
    smallRun.weightsAfterStep[0][0][0] shouldBe (0.285 plusOrMinus 1e-6)
    smallRun.weightsAfterStep[0][0][1] shouldBe (0.38 plusOrMinus 1e-6)
  }

  test("zero weights fall back to a trust ratio of 1") {
    val problem = ConstantGradient(doubleArrayOf(0.0, 0.0), doubleArrayOf(0.6, 0.8))
    val run = runOptimizer(lars(0.5, momentum = 0.0, weightDecay = 0.2, eta = 0.1), problem, listOf(0.5))
    run.weightsAfterStep[0][0][0] shouldBe (-0.3 plusOrMinus 1e-6)
    run.weightsAfterStep[0][0][1] shouldBe (-0.4 plusOrMinus 1e-6)
  }

  test("LARS with momentum matches the hand-computed update; the bias gets plain momentum SGD") {
    val run = runOptimizer(lars(Schedules.constant(0.5), momentum = 0.9, weightDecay = 0.1, eta = 0.02), CoupledQuadratic, rates)
    val expected = larsReference(CoupledQuadratic, 0.9, 0.1, 0.02, nesterov = false) { it == "dense/bias" }
    assertClose(run.weightsAfterStep, expected)
  }

  test("Nesterov LARS") {
    val run = runOptimizer(lars(0.5, momentum = 0.9, weightDecay = 0.1, eta = 0.02, nesterov = true), CoupledQuadratic, rates)
    val expected = larsReference(CoupledQuadratic, 0.9, 0.1, 0.02, nesterov = true) { it == "dense/bias" }
    assertClose(run.weightsAfterStep, expected)
  }

  test("with no exclusion every parameter is adapted") {
    val run = runOptimizer(lars(0.5, weightDecay = 0.1, eta = 0.02, exclude = ParameterFilter.NONE), CoupledQuadratic, rates)
    val expected = larsReference(CoupledQuadratic, 0.9, 0.1, 0.02, nesterov = false) { false }
    assertClose(run.weightsAfterStep, expected)
  }
})
