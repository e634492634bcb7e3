package io.github.kontrast.samples

import io.github.kontrast.samples.bench.BenchInputs
import io.github.kontrast.samples.bench.LossRecord
import io.github.kontrast.samples.bench.LossSuite
import io.github.kontrast.samples.bench.PyTorchSide
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.sqrt

class LossSuiteSpec : FunSpec({
  test("BenchInputs are SplitMix64's outputs: state 0 gives its published first output 0xE220A8397B1DCDAF") {
    // the top 24 bits, 0xE220A8 = 14,819,496, as a float in [-1, 1): m / 2^23 - 1
    BenchInputs.uniform(0, 1)[0] shouldBe (14_819_496.0 / 8_388_608 - 1).toFloat()
    val values = BenchInputs.uniform(3, 10_000)
    values.all { it >= -1f && it < 1f } shouldBe true
    values.average() shouldBe (0.0 plusOrMinus 0.03) // uniform on [-1, 1): sd of the mean 0.006
    BenchInputs.uniform(3, 5).toList() shouldBe values.take(5) // a prefix, whatever the count
  }

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

    // every engine and form computes the loss on the same inputs: NT-Xent's value is the one
    // computed here in double, and the full, chunked and PyTorch values of each loss and N agree
    fun value(engine: String, loss: String, n: Int, form: String): Double? = records
      .filter { it.startsWith(": \"$engine\"") && it.contains("\"loss\": \"$loss\"") && it.contains("\"n\": $n,") && it.contains("\"form\": \"$form\"") }
      .single().let { r -> if (r.contains("\"loss_value\": null")) null else jsonNumber(r, "loss_value") }
    val reference = ntXentOnBenchInputs(64, 128)
    value("kontrast", "nt_xent", 64, "full")!! shouldBe (reference plusOrMinus 1e-5 * reference)
    value("kontrast", "nt_xent", 64, "chunked")!! shouldBe (reference plusOrMinus 1e-5 * reference)
    value("kontrast", "nt_xent", 128, "chunked")!! shouldBe (ntXentOnBenchInputs(128, 128) plusOrMinus 1e-5 * reference)
    val clip = value("kontrast", "clip", 64, "full")!!
    value("kontrast", "clip", 64, "chunked")!! shouldBe (clip plusOrMinus 1e-5 * clip)
    val torchMissing = PyTorchSide.missing(PyTorchSide.PYTHON, PyTorchSide.script("bench_losses.py"))
    if (torchMissing == null) {
      // Debian's python3-torch is installed: PyTorch's records are there, with the same values
      records.count { it.startsWith(": \"pytorch\"") } shouldBe 4
      value("pytorch", "nt_xent", 64, "full")!! shouldBe (reference plusOrMinus 1e-5 * reference)
      value("pytorch", "clip", 64, "full")!! shouldBe (clip plusOrMinus 1e-5 * clip)
      table shouldNotContain "not timed"
      table shouldContain "agrees with the others of its loss and N"
    } else {
      // CI has no PyTorch: the suite says why and writes no PyTorch record
      records.count { it.startsWith(": \"pytorch\"") } shouldBe 0
      table shouldContain "PyTorch not timed: $torchMissing"
    }
  }

  test("the largest difference between loss values is found within each loss and N, never across") {
    fun rec(engine: String, loss: String, n: Int, form: String, value: Double?) =
      LossRecord(engine, loss, n, 128, form, null, 1.0, 1L, null, value)
    val records = listOf(
      rec("kontrast", "nt_xent", 64, "full", 4.0), rec("kontrast", "nt_xent", 64, "chunked", 4.0004),
      rec("pytorch", "nt_xent", 64, "full", 3.9998), rec("kontrast", "clip", 64, "full", 9.0),
      rec("kontrast", "clip", 64, "chunked", 9.00009), rec("kontrast", "nt_xent", 128, "full", 5.0),
      rec("kontrast", "nt_xent", 128, "chunked", null),
    )
    val (where, diff) = LossSuite.worstValueDifference(records)!!
    where.loss shouldBe "nt_xent"
    where.n shouldBe 64
    diff shouldBe ((4.0004 - 3.9998) / 4.0004 plusOrMinus 1e-12)
    LossSuite.worstValueDifference(records.takeLast(2)) shouldBe null // one value only at N = 128
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

/**
 * NT-Xent (t = 0.5, cosine) in double on the suite's inputs for [n] embeddings of [d]: views
 * BenchInputs 0 and 1 of n/2 rows each, the positive of row i its row in the other view, written
 * out from the definition, independent of both libraries.
 */
private fun ntXentOnBenchInputs(n: Int, d: Int, t: Double = 0.5): Double {
  val half = n / 2
  val views = listOf(BenchInputs.uniform(0, half * d), BenchInputs.uniform(1, half * d))
  val z = Array(n) { i -> DoubleArray(d) { j -> views[i / half][(i % half) * d + j].toDouble() } }
  for (v in z) {
    val norm = sqrt(v.sumOf { it * it })
    for (j in v.indices) v[j] /= norm
  }
  var total = 0.0
  for (i in 0 until n) {
    val logits = DoubleArray(n) { j -> if (j == i) Double.NEGATIVE_INFINITY else z[i].indices.sumOf { z[i][it] * z[j][it] } / t }
    val max = logits.max()
    total += max + ln(logits.sumOf { exp(it - max) }) - logits[(i + half) % n]
  }
  return total / n
}
