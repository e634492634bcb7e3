package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import kotlin.math.sqrt

class RmsPropSpec : FunSpec({
  val rates = listOf(0.1, 0.05, 0.02)

  fun rmspropReference(rho: Double, momentum: Double, epsilon: Double, centered: Boolean): List<List<DoubleArray>> {
    val params = CoupledQuadratic.parameters
    val ms = params.map { DoubleArray(it.initial.size) }
    val mg = params.map { DoubleArray(it.initial.size) }
    val mom = params.map { DoubleArray(it.initial.size) }
    return reference(CoupledQuadratic, rates) { weights, gradients, lr, _ ->
      weights.indices.map { p ->
        DoubleArray(weights[p].size) { i ->
          val g = gradients[p][i]
          ms[p][i] = rho * ms[p][i] + (1 - rho) * g * g
          mg[p][i] = rho * mg[p][i] + (1 - rho) * g
          val denominator = if (centered) ms[p][i] - mg[p][i] * mg[p][i] + epsilon else ms[p][i] + epsilon
          mom[p][i] = momentum * mom[p][i] + lr * g / sqrt(denominator)
          weights[p][i] - mom[p][i]
        }
      }
    }
  }

  test("RMSprop with Keras' defaults matches the hand-computed update") {
    val run = runOptimizer(rmsprop(Schedules.constant(0.1)), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, rmspropReference(0.9, 0.0, 1e-7, centered = false))
  }

  test("RMSprop with momentum keeps the rate inside the accumulator") {
    val run = runOptimizer(rmsprop(0.1, rho = 0.8, momentum = 0.5, epsilon = 0.01), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, rmspropReference(0.8, 0.5, 0.01, centered = false))
  }

  test("centered RMSprop subtracts the squared mean gradient") {
    val run = runOptimizer(rmsprop(0.1, rho = 0.8, momentum = 0.5, epsilon = 0.01, centered = true), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, rmspropReference(0.8, 0.5, 0.01, centered = true))
  }
})
