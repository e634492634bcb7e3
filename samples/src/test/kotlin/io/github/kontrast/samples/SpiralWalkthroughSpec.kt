package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files

/**
 * `./kontrast spiral`: document 002's loss values, a short training whose embedding must follow
 * the spiral's parameter, every picture, and its options.
 */
class SpiralWalkthroughSpec : FunSpec({
  val out = Files.createTempDirectory("spiral")
  val run by lazy { kontrast("spiral", "--steps", "300", "--quiet", "--out", out.toString(), "--min-rho", BAR.toString()) }

  test("a 300-step run prints the three loss values, stops at 300 steps and beats its Spearman bar") {
    run.code shouldBe 0
    run.out shouldContain "Input 0.1, Target True  -> 0.1600"
    run.out shouldContain "Input 0.6, Target True  -> 0.0000"
    run.out shouldContain "Input 0.1, Target False -> 0.0100   0.1^2: the square of the distance"
    run.out shouldContain "Spiral: 9,425 points"
    run.out shouldContain "Total params: 22,741"
    run.out shouldNotContain "\r"
    // --quiet keeps the epoch lines: 3 epochs of 100 steps
    Regex("(?m)^Epoch 3/3 - 100 steps").containsMatchIn(run.out) shouldBe true
    val m = Files.readString(out.resolve("metrics.json"))
    jsonNumber(m, "input_0.1_true") shouldBe (0.16 plusOrMinus 1e-6)
    jsonNumber(m, "input_0.6_true") shouldBe 0.0
    jsonNumber(m, "input_0.1_false") shouldBe (0.01 plusOrMinus 1e-7)
    jsonNumber(m, "steps") shouldBe 300.0
    m shouldContain "\"stopped_by\": \"steps\""
    jsonNumber(m, "spearman_rho_abs") shouldBeGreaterThanOrEqual BAR
    Math.abs(jsonNumber(m, "spearman_rho")) shouldBe (jsonNumber(m, "spearman_rho_abs") plusOrMinus 1e-12)
    for (f in listOf("points", "embedding-map", "points-by-embedding", "history")) {
      (Files.size(out.resolve("$f.svg")) > 1000) shouldBe true
      (Files.size(out.resolve("$f.png")) > 1000) shouldBe true
    }
  }

  test("--time-goal stops training when the time is up; bad values end with one line and status 2") {
    val timed = Files.createTempDirectory("spiral-timed")
    val ran = kontrast("spiral", "--steps", "1000000", "--time-goal", "2", "--quiet", "--out", timed.toString())
    ran.code shouldBe 0
    val m = Files.readString(timed.resolve("metrics.json"))
    m shouldContain "\"stopped_by\": \"time\""
    (jsonNumber(m, "train_seconds") >= 2.0) shouldBe true
    (jsonNumber(m, "steps") < 1_000_000) shouldBe true

    val bad = kontrast("spiral", "--time-goal", "0")
    bad.code shouldBe 2
    bad.err.trim() shouldBe "kontrast spiral: Invalid value for option '--time-goal': expected a number of seconds > 0, got '0'"
    kontrast("spiral", "--help").out shouldContain "--time-goal=SECONDS"
  }
}) {
  companion object {
    /** |rho| after 300 steps at seed 42 is about 0.9 (0.98 after 1,000); the bar sits below for other CPUs' rounding. */
    const val BAR = 0.8
  }
}
