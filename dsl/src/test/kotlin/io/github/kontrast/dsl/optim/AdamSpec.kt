package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import kotlin.math.pow
import kotlin.math.sqrt

/** Keras' Adam update by hand: the bias corrections folded into the rate, epsilon outside the root. */
fun adamReference(
  problem: TestProblem,
  rates: List<Double>,
  beta1: Double,
  beta2: Double,
  epsilon: Double,
  weightDecay: Double = 0.0,
  decayed: (String) -> Boolean = { false },
): List<List<DoubleArray>> {
  val m = problem.parameters.map { DoubleArray(it.initial.size) }
  val v = problem.parameters.map { DoubleArray(it.initial.size) }
  return reference(problem, rates) { weights, gradients, lr, t ->
    val alpha = lr * sqrt(1 - beta2.pow(t)) / (1 - beta1.pow(t))
    weights.indices.map { p ->
      val decay = if (decayed(problem.parameters[p].name)) lr * weightDecay else 0.0
      DoubleArray(weights[p].size) { i ->
        val g = gradients[p][i]
        m[p][i] = beta1 * m[p][i] + (1 - beta1) * g
        v[p][i] = beta2 * v[p][i] + (1 - beta2) * g * g
        val w = weights[p][i] - decay * weights[p][i]
        w - alpha * m[p][i] / (sqrt(v[p][i]) + epsilon)
      }
    }
  }
}

class AdamSpec : FunSpec({
  val rates = listOf(0.1, 0.05, 0.02)

  test("Adam with Keras' defaults matches the hand-computed update over 3 steps") {
    val run = runOptimizer(adam(Schedules.constant(0.1)), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7))
    run.slotNames.shouldContainExactly("dense/kernel:m", "dense/kernel:v", "dense/bias:m", "dense/bias:v")
  }

  test("Adam's betas and epsilon are used as given") {
    // a large epsilon makes its place in the formula visible in the numbers
    val run = runOptimizer(adam(0.1, beta1 = 0.5, beta2 = 0.7, epsilon = 0.3), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, adamReference(CoupledQuadratic, rates, 0.5, 0.7, 0.3))
  }
})
