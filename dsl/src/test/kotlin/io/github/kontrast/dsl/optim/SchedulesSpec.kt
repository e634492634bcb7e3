package io.github.kontrast.dsl.optim

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.PI
import kotlin.math.cos

class SchedulesSpec : FunSpec({
  test("constant is the same at every step") {
    val s = Schedules.constant(0.01)
    s.at(0) shouldBe 0.01
    s.at(1_000_000) shouldBe 0.01
  }

  test("step decay multiplies by gamma every N steps") {
    val s = Schedules.step(0.1, everySteps = 10, gamma = 0.5)
    s.at(0) shouldBe 0.1
    s.at(9) shouldBe 0.1
    s.at(10) shouldBe 0.05
    s.at(19) shouldBe 0.05
    s.at(25) shouldBe (0.025 plusOrMinus 1e-15)
  }

  test("step decay at milestones") {
    val s = Schedules.step(1.0, milestones = listOf(30, 80), gamma = 0.1)
    s.at(0) shouldBe 1.0
    s.at(29) shouldBe 1.0
    s.at(30) shouldBe (0.1 plusOrMinus 1e-15)
    s.at(79) shouldBe (0.1 plusOrMinus 1e-15)
    s.at(80) shouldBe (0.01 plusOrMinus 1e-15)
    s.at(10_000) shouldBe (0.01 plusOrMinus 1e-15)
  }

  test("warmup + cosine: linear from 0, the peak at the end of warmup, the floor at total steps and beyond") {
    val s = Schedules.warmupCosine(peak = 0.4, warmupSteps = 10, totalSteps = 110, floor = 0.01)
    s.at(0) shouldBe 0.0
    s.at(1) shouldBe (0.04 plusOrMinus 1e-15)
    s.at(5) shouldBe (0.2 plusOrMinus 1e-15)
    s.at(9) shouldBe (0.36 plusOrMinus 1e-15)
    s.at(10) shouldBe (0.4 plusOrMinus 1e-15)
    // halfway through the cosine: the mean of peak and floor
    s.at(60) shouldBe (0.205 plusOrMinus 1e-12)
    // a quarter of the way: floor + (peak - floor) * (1 + cos(pi/4)) / 2
    s.at(35) shouldBe (0.01 + 0.39 * (1 + cos(PI / 4)) / 2 plusOrMinus 1e-12)
    s.at(109) shouldBe (0.01 + 0.39 * (1 + cos(PI * 99 / 100)) / 2 plusOrMinus 1e-12)
    s.at(110) shouldBe 0.01
    s.at(1_000) shouldBe 0.01
  }

  test("warmup + cosine without warmup starts at the peak") {
    val s = Schedules.warmupCosine(1.0, 0, 4)
    s.at(0) shouldBe 1.0
    s.at(2) shouldBe (0.5 plusOrMinus 1e-15)
    s.at(4) shouldBe 0.0
  }

  test("schedules are monotone where they should be") {
    val s = Schedules.warmupCosine(1.0, 20, 200, 0.0)
    (0L until 20L).map(s::at).zipWithNext().all { (a, b) -> b > a } shouldBe true
    (20L..200L).map(s::at).zipWithNext().all { (a, b) -> b <= a } shouldBe true
  }

  test("bad arguments name the argument, the expectation and the value") {
    shouldThrow<IllegalArgumentException> { Schedules.constant(0.0) }.message shouldContain "learningRate: expected a finite number > 0, got 0.0"
    shouldThrow<IllegalArgumentException> { Schedules.constant(Double.NaN) }.message shouldContain "learningRate"
    shouldThrow<IllegalArgumentException> { Schedules.step(0.1, 0L) }.message shouldContain "everySteps: expected a number of steps > 0, got 0"
    shouldThrow<IllegalArgumentException> { Schedules.step(0.1, 10L, 1.5) }.message shouldContain "gamma: expected a factor in (0, 1], got 1.5"
    shouldThrow<IllegalArgumentException> { Schedules.step(0.1, emptyList<Long>()) }.message shouldContain "milestones: expected at least one step"
    shouldThrow<IllegalArgumentException> { Schedules.step(0.1, listOf(50, 20)) }.message shouldContain "milestones: expected strictly increasing steps, got [50, 20]"
    shouldThrow<IllegalArgumentException> { Schedules.warmupCosine(-1.0, 1, 10) }.message shouldContain "peak"
    shouldThrow<IllegalArgumentException> { Schedules.warmupCosine(1.0, -1, 10) }.message shouldContain "warmupSteps: expected a number of steps >= 0, got -1"
    shouldThrow<IllegalArgumentException> { Schedules.warmupCosine(1.0, 10, 10) }.message shouldContain "totalSteps: expected more steps than warmupSteps (10), got 10"
    shouldThrow<IllegalArgumentException> { Schedules.warmupCosine(1.0, 1, 10, 2.0) }.message shouldContain "floor: expected a rate in [0, peak=1.0], got 2.0"
    shouldThrow<IllegalArgumentException> { Schedules.constant(0.1).at(-1) }.message shouldContain "step: expected a 0-based step >= 0, got -1"
    shouldThrow<IllegalArgumentException> { Schedules.warmupCosine(1.0, 1, 10).at(-5) }.message shouldContain "step"
  }
})
