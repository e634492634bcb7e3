package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe

class AdamWSpec : FunSpec({
  val rates = listOf(0.1, 0.05, 0.02)
  // large enough that a missing or misplaced decay changes the third decimal
  val decay = 0.5

  test("AdamW decays every parameter by lr * weightDecay before Adam's update") {
    val run = runOptimizer(adamW(0.1, weightDecay = decay), CoupledQuadratic, rates)
    val expected = adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7, decay) { true }
    assertClose(run.weightsAfterStep, expected)
  }

  test("a weight decay of exactly 1 decays too (w shrinks by lr * w before Adam's update)") {
    // 1 is a legal decay and no special case: a shortcut keyed on a constant must not skip it
    val run = runOptimizer(adamW(0.1, weightDecay = 1.0), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7, 1.0) { true })
  }

  test("parameters the filter excludes get Adam's update without decay") {
    val optimizer = adamW(0.1, weightDecay = decay, excludeFromDecay = ParameterFilter.BIASES_AND_NORMALIZATION)
    val run = runOptimizer(optimizer, CoupledQuadratic, rates)
    val expected = adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7, decay) { it != "dense/bias" }
    assertClose(run.weightsAfterStep, expected)
    // and the bias really differs from the fully decayed run
    val decayedEverywhere = adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7, decay) { true }
    run.weightsAfterStep[2][1][0] shouldNotBe (decayedEverywhere[2][1][0] plusOrMinus 1e-3)
  }

  test("with weight decay 0 AdamW is Adam") {
    val run = runOptimizer(adamW(Schedules.constant(0.1), weightDecay = 0.0), CoupledQuadratic, rates)
    assertClose(run.weightsAfterStep, adamReference(CoupledQuadratic, rates, 0.9, 0.999, 1e-7))
  }

  test("Keras' default decay is 0.004") {
    adamW().weightDecay shouldBe 0.004
  }
})
