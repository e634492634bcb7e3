package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

class BenchWalkthroughSpec : FunSpec({
  test("a handful of steps writes bench.json with both medians positive and a finite overhead") {
    val out = Files.createTempDirectory("bench")
    val ran = kontrast("bench", "--steps", "4", "--warmup", "1", "--batch-size", "8", "--out", out.toString())
    ran.code shouldBe 0
    ran.out shouldContain "1 warm-up + 4 timed steps per side, in 4 rounds"
    val json = Files.readString(out.resolve("bench.json"))
    jsonNumber(json, "batch_size") shouldBe 8.0
    jsonNumber(json, "steps") shouldBe 4.0
    for (key in listOf("hand_written_ms_median", "engine_ms_median", "hand_written_ms_p90", "engine_ms_p90", "engine_session_run_ms_median")) {
      jsonNumber(json, key) shouldBeGreaterThan 0.0
    }
    // the p90 is never below the median, and the engine's Session.run is part of its step
    jsonNumber(json, "engine_ms_p90") shouldBeGreaterThan jsonNumber(json, "engine_ms_median") - 1e-9
    jsonNumber(json, "engine_session_run_ms_median") shouldBeLessThan jsonNumber(json, "engine_ms_median") + 1e-9
    val overhead = jsonNumber(json, "overhead_percent")
    overhead.isFinite() shouldBe true
    overhead shouldBe ((jsonNumber(json, "engine_ms_median") / jsonNumber(json, "hand_written_ms_median") - 1) * 100 plusOrMinusRel 1e-9)
  }
})

private infix fun Double.plusOrMinusRel(rel: Double) = this plusOrMinus (Math.abs(this) * rel + 1e-12)
