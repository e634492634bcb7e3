package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly

class SgdSpec : FunSpec({
  val rates = listOf(0.1, 0.05, 0.02)

  fun momentumReference(mu: Double, nesterov: Boolean): List<List<DoubleArray>> {
    val accumulators = CoupledQuadratic.parameters.map { DoubleArray(it.initial.size) }
    return reference(CoupledQuadratic, rates) { weights, gradients, lr, _ ->
      weights.indices.map { p ->
        val a = accumulators[p]
        DoubleArray(a.size) { i ->
          a[i] = mu * a[i] + gradients[p][i]
          val stepDirection = if (nesterov) gradients[p][i] + mu * a[i] else a[i]
          weights[p][i] - lr * stepDirection
        }
      }
    }
  }

  test("plain SGD moves each weight by -lr * gradient and keeps no slot") {
    val run = runOptimizer(sgd(Schedules.constant(0.1)), CoupledQuadratic, rates)
    val expected = reference(CoupledQuadratic, rates) { weights, gradients, lr, _ ->
      weights.indices.map { p -> DoubleArray(weights[p].size) { i -> weights[p][i] - lr * gradients[p][i] } }
    }
    assertClose(run.weightsAfterStep, expected)
    run.slotNames.shouldBeEmpty()
  }

  test("momentum accumulates gradients and scales the accumulator by the step's rate") {
    val run = runOptimizer(sgd(0.1, momentum = 0.9), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, momentumReference(0.9, nesterov = false))
    run.slotNames.shouldContainExactly("dense/kernel:momentum", "dense/bias:momentum")
  }

  test("Nesterov momentum steps by gradient plus momentum times the new accumulator") {
    val run = runOptimizer(sgd(0.1, momentum = 0.8, nesterov = true), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, momentumReference(0.8, nesterov = true))
  }
})
