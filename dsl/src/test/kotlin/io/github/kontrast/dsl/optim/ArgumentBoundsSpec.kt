package io.github.kontrast.dsl.optim

import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs

/**
 * Every hyper-parameter check at its edges: the last value inside the documented range is accepted
 * and the first one outside is refused, for each optimizer and schedule that makes the check (a
 * check dropped from one constructor, or a bound moved by one, shows here). Values above 1 are
 * accepted where the range allows them, so a check that silently capped rates at 1 would show too.
 */
class ArgumentBoundsSpec : FunSpec({
  fun refused(expected: String, build: () -> Any) {
    shouldThrow<IllegalArgumentException> { build() }.message shouldContain expected
  }

  fun accepted(build: () -> Any) {
    shouldNotThrowAny { build() }
  }

  test("rates and epsilons: any finite number > 0, 0 and infinity refused") {
    for (rate in listOf(Double.MIN_VALUE, 1e-9, 5.0, Double.MAX_VALUE)) {
      accepted { Schedules.constant(rate) }
      accepted { Schedules.step(rate, everySteps = 3) }
      accepted { Schedules.step(rate, milestones = listOf(3)) }
      accepted { Schedules.warmupCosine(rate, 1, 10) }
      accepted { adam(epsilon = rate) }
      accepted { adamW(epsilon = rate) }
      accepted { rmsprop(epsilon = rate) }
      accepted { lars(1.0, eta = rate) }
    }
    Schedules.constant(5.0).at(3) shouldBe 5.0
    refused("learningRate: expected a finite number > 0, got 0.0") { Schedules.constant(0.0) }
    refused("learningRate: expected a finite number > 0, got Infinity") { Schedules.constant(Double.POSITIVE_INFINITY) }
    refused("initialRate: expected a finite number > 0, got 0.0") { Schedules.step(0.0, everySteps = 3) }
    refused("initialRate: expected a finite number > 0, got -1.0") { Schedules.step(-1.0, milestones = listOf(3)) }
    refused("peak: expected a finite number > 0, got 0.0") { Schedules.warmupCosine(0.0, 1, 10) }
    refused("peak: expected a finite number > 0, got -1.0") { Schedules.warmupCosine(-1.0, 1, 10) }
    refused("epsilon: expected a finite number > 0, got 0.0") { adam(epsilon = 0.0) }
    refused("epsilon: expected a finite number > 0, got 0.0") { adamW(epsilon = 0.0) }
    refused("epsilon: expected a finite number > 0, got 0.0") { rmsprop(epsilon = 0.0) }
    refused("eta: expected a finite number > 0, got 0.0") { lars(1.0, eta = 0.0) }
    refused("eta: expected a finite number > 0, got NaN") { lars(1.0, eta = Double.NaN) }
  }

  test("weight decay: 0 and above accepted, below 0 and infinity refused") {
    for (decay in listOf(0.0, 5.0, Double.MAX_VALUE)) {
      accepted { adamW(weightDecay = decay) }
      accepted { lars(1.0, weightDecay = decay) }
    }
    refused("weightDecay: expected a finite number >= 0, got -1.0E-9") { adamW(weightDecay = -1e-9) }
    refused("weightDecay: expected a finite number >= 0, got -1.0E-9") { lars(1.0, weightDecay = -1e-9) }
    refused("weightDecay: expected a finite number >= 0, got Infinity") { lars(1.0, weightDecay = Double.POSITIVE_INFINITY) }
    refused("weightDecay: expected a finite number >= 0, got NaN") { adamW(weightDecay = Double.NaN) }
  }

  test("decay rates and momenta: [0, 1), 1 and below 0 refused") {
    for (rate in listOf(0.0, 0.5, 0.999)) {
      accepted { sgd(0.1, momentum = rate) }
      accepted { adam(beta1 = rate, beta2 = rate) }
      accepted { adamW(beta1 = rate, beta2 = rate) }
      accepted { rmsprop(rho = rate, momentum = rate) }
      accepted { lars(1.0, momentum = rate) }
    }
    for (bad in listOf(1.0, -1e-9, Double.NaN)) {
      refused("momentum: expected a number in [0, 1), got $bad") { sgd(0.1, momentum = bad) }
      refused("beta1: expected a number in [0, 1), got $bad") { adam(beta1 = bad) }
      refused("beta2: expected a number in [0, 1), got $bad") { adam(beta2 = bad) }
      refused("beta1: expected a number in [0, 1), got $bad") { adamW(beta1 = bad) }
      refused("beta2: expected a number in [0, 1), got $bad") { adamW(beta2 = bad) }
      refused("rho: expected a number in [0, 1), got $bad") { rmsprop(rho = bad) }
      refused("momentum: expected a number in [0, 1), got $bad") { rmsprop(momentum = bad) }
      refused("momentum: expected a number in [0, 1), got $bad") { lars(1.0, momentum = bad) }
    }
  }

  test("Nesterov needs momentum > 0, in SGD and in LARS") {
    refused("nesterov: expected momentum > 0 for Nesterov momentum, got momentum = 0.0") { sgd(0.1, momentum = 0.0, nesterov = true) }
    refused("nesterov: expected momentum > 0 for Nesterov momentum, got momentum = 0.0") { lars(0.1, momentum = 0.0, nesterov = true) }
    accepted { sgd(0.1, momentum = 1e-6, nesterov = true) }
    accepted { lars(0.1, momentum = 1e-6, nesterov = true) }
    accepted { lars(0.1, momentum = 0.0, nesterov = false) }
  }

  test("decay factors gamma: (0, 1], 1 accepted, 0 and above 1 refused, for StepLR and MultiStepLR") {
    Schedules.step(0.1, everySteps = 2, gamma = 1.0).at(100) shouldBe 0.1
    Schedules.step(0.1, milestones = listOf(2, 4), gamma = 1.0).at(100) shouldBe 0.1
    for (bad in listOf(0.0, 1.5, -0.5, Double.NaN)) {
      refused("gamma: expected a factor in (0, 1], got $bad") { Schedules.step(0.1, everySteps = 2, gamma = bad) }
      refused("gamma: expected a factor in (0, 1], got $bad") { Schedules.step(0.1, milestones = listOf(2), gamma = bad) }
    }
  }

  test("step counts: StepLR's period >= 1, milestones >= 1 and strictly increasing, warmup >= 0, total > warmup") {
    Schedules.step(0.8, everySteps = 1, gamma = 0.5).at(3) shouldBe 0.1
    refused("everySteps: expected a number of steps > 0, got -2") { Schedules.step(0.1, everySteps = -2) }
    // milestone 1 is the smallest allowed: the rate drops after the first step
    val first = Schedules.step(0.8, milestones = listOf(1), gamma = 0.5)
    first.at(0) shouldBe 0.8
    first.at(1) shouldBe 0.4
    refused("milestones: expected steps > 0, got [0, 5]") { Schedules.step(0.1, milestones = listOf(0, 5)) }
    refused("milestones: expected steps > 0, got [-3]") { Schedules.step(0.1, milestones = listOf(-3)) }
    refused("milestones: expected strictly increasing steps, got [5, 5]") { Schedules.step(0.1, milestones = listOf(5, 5)) }
    refused("milestones: expected strictly increasing steps, got [2, 7, 6]") { Schedules.step(0.1, milestones = listOf(2, 7, 6)) }
    // warmup 0 and a total one step past the warmup are the smallest allowed
    Schedules.warmupCosine(1.0, 0, 1).at(0) shouldBe 1.0
    Schedules.warmupCosine(1.0, 0, 1).at(1) shouldBe 0.0
    Schedules.warmupCosine(1.0, 4, 5).at(4) shouldBe 1.0
    refused("totalSteps: expected more steps than warmupSteps (0), got 0") { Schedules.warmupCosine(1.0, 0, 0) }
    refused("totalSteps: expected more steps than warmupSteps (5), got 4") { Schedules.warmupCosine(1.0, 5, 4) }
  }

  test("the cosine's floor: [0, peak], both ends accepted") {
    // floor = peak: a flat line after the warmup
    val flat = Schedules.warmupCosine(0.3, 2, 10, floor = 0.3)
    flat.at(1) shouldBe (0.15 plusOrMinusRel 1e-15)
    flat.at(6) shouldBe (0.3 plusOrMinusRel 1e-15)
    Schedules.warmupCosine(0.3, 2, 10, floor = 0.0).at(10) shouldBe 0.0
    refused("floor: expected a rate in [0, peak=0.3], got 0.31") { Schedules.warmupCosine(0.3, 2, 10, floor = 0.31) }
    refused("floor: expected a rate in [0, peak=0.3], got -1.0E-9") { Schedules.warmupCosine(0.3, 2, 10, floor = -1e-9) }
    refused("floor: expected a rate in [0, peak=0.3], got NaN") { Schedules.warmupCosine(0.3, 2, 10, floor = Double.NaN) }
  }

  test("every schedule refuses a negative step and accepts step 0") {
    val schedules = listOf(
      Schedules.constant(0.1),
      Schedules.step(0.1, everySteps = 3),
      Schedules.step(0.1, milestones = listOf(3)),
      Schedules.warmupCosine(0.1, 0, 10),
    )
    for (s in schedules) {
      s.at(0) shouldBe 0.1
      refused("step: expected a 0-based step >= 0, got -1") { s.at(-1) }
    }
  }
})

private infix fun Double.plusOrMinusRel(tolerance: Double) = this plusOrMinus tolerance * abs(this)
