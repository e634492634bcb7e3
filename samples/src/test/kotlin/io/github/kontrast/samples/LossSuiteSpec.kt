package io.github.kontrast.samples

import io.github.kontrast.samples.bench.LossRecord
import io.github.kontrast.samples.bench.LossSuite
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

class LossSuiteSpec : FunSpec({
  test("a tiny loss suite writes one flat record per engine, loss, N and form, and the table") {
    val out = Files.createTempDirectory("bench-losses")
    val ran = kontrast(
      "bench", "--suite", "losses", "--n", "64,128", "--losses", "nt_xent,clip", "--chunk-rows", "32",
      "--full-max-n", "64", "--repeats", "1", "--out", out.toString(),
    )
    withClue(ran.err) { ran.code shouldBe 0 }
    ran.out shouldContain "Loss suite on "
    val json = Files.readString(out.resolve("losses/bench.json"))
    json shouldContain "\"suite\": \"losses\""
    // the records are flat objects; split them on their opening field
    val records = json.split("\"suite\": \"losses\",\n    \"engine\"").drop(1)
    val kontrastRecords = records.filter { it.startsWith(": \"kontrast\"") }
    kontrastRecords.size shouldBe 8 // 2 losses x 2 sizes x 2 forms
    for (r in kontrastRecords) {
      r shouldContain "\"d\": 128"
      val notRun = r.contains("\"n\": 128") && r.contains("\"form\": \"full\"")
      if (notRun) {
        r shouldContain "\"median_ms\": null"
        r shouldContain "not run: N > --full-max-n 64"
      } else {
        jsonNumber(r, "median_ms") shouldBeGreaterThan 0.0
        // a JVM with TensorFlow's natives loaded holds well over 100 MB
        jsonNumber(r, "peak_rss_bytes") shouldBeGreaterThan 1e8
      }
    }
    val table = Files.readString(out.resolve("losses/bench.md"))
    table shouldContain "| nt_xent | 64 |"
    table shouldContain "| clip | 128 | not run: N > --full-max-n 64 |"
  }

  test("the table gives chunked over full time, and says why PyTorch is missing") {
    fun rec(form: String, ms: Double) = LossRecord("kontrast", "info_nce", 4096, 128, form, null, ms, 2L * 1024 * 1024 * 1024, null)
    val table = LossSuite.markdown(listOf(rec("full", 10.0), rec("chunked", 12.5)), "no torch")
    table shouldContain "| info_nce | 4,096 | 10.0 ms, 2.00 GiB | 12.5 ms, 2.00 GiB | 1.25 | not timed |"
    table shouldContain "PyTorch not timed: no torch."
  }

  test("a bad suite, loss or odd N for NT-Xent is a usage error") {
    kontrast("bench", "--suite", "nope").let { it.code shouldBe 2; it.err shouldContain "--suite" }
    kontrast("bench", "--suite", "losses", "--losses", "triplet").let { it.code shouldBe 2; it.err shouldContain "--losses" }
    kontrast("bench", "--suite", "losses", "--n", "63", "--losses", "nt_xent").let { it.code shouldBe 2; it.err shouldContain "must be even" }
  }
})
