package io.github.kontrast.samples.bench

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** One row of bench.json: flat, as the issue's format asks. [medianMs] and [peakRssBytes] are null for a run that did not finish. */
data class LossRecord(
  val engine: String,
  val loss: String,
  val n: Int,
  val d: Int,
  val form: String,
  val chunkRows: Int?,
  val medianMs: Double?,
  val peakRssBytes: Long?,
  val note: String?,
) {
  fun toMap(): Map<String, Any?> = linkedMapOf(
    "suite" to "losses", "engine" to engine, "loss" to loss, "n" to n, "d" to d, "form" to form,
    "chunk_rows" to chunkRows, "median_ms" to medianMs, "peak_rss_bytes" to peakRssBytes, "note" to note,
  )
}

/** Settings of `./kontrast bench --suite losses`. */
data class LossSuiteSettings(
  val sizes: List<Int>,
  val losses: List<BenchLoss>,
  val d: Int = 128,
  val chunkRows: Int = 1024,
  /** Above this N the full form is not started: its matrices alone would need about 6 x 4 N^2 bytes. */
  val fullMaxN: Int = 8192,
  val repeats: Int = 5,
  val warmup: Int = 1,
  /** Where the PyTorch script is; it runs when [python] can import torch. */
  val torchScript: Path,
  val python: String = "/usr/bin/python3",
  val timeoutSeconds: Long = 1800,
)

/**
 * The loss suite: for every loss and N, the full and the chunked form in Kontrast and the full form
 * in PyTorch (when it is installed), each measurement in a fresh process so that its peak RSS is its
 * own. A process that fails (out of memory, say) is recorded with its exit code, not retried.
 */
class LossSuite(private val settings: LossSuiteSettings, private val log: (String) -> Unit = ::println) {
  /** Why PyTorch is not timed, or null when it is. */
  val torchMissing: String? = torchAvailability()

  fun run(): List<LossRecord> {
    val records = ArrayList<LossRecord>()
    for (n in settings.sizes) {
      for (loss in settings.losses) {
        val forms = listOf("full" to 0, "chunked" to settings.chunkRows)
        for ((form, rows) in forms) {
          val record = if (form == "full" && n > settings.fullMaxN) {
            LossRecord("kontrast", loss.key, n, settings.d, form, null, null, null, "not run: N > --full-max-n ${settings.fullMaxN}")
          } else {
            measureKontrast(loss, n, form, rows)
          }
          records += record.also { log(describe(it)) }
        }
        if (torchMissing == null) {
          val record = if (n > settings.fullMaxN) {
            LossRecord("pytorch", loss.key, n, settings.d, "full", null, null, null, "not run: N > --full-max-n ${settings.fullMaxN}")
          } else {
            measureTorch(loss, n)
          }
          records += record.also { log(describe(it)) }
        }
      }
    }
    return records
  }

  private fun measureKontrast(loss: BenchLoss, n: Int, form: String, chunkRows: Int): LossRecord {
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    // JavaCPP refuses allocations once the process holds more than twice -Xmx (its default
    // maxPhysicalBytes): the tensors here are native, so that limit is lifted, not the heap raised
    val command = mutableListOf(java, "-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0")
    System.getProperty("org.bytedeco.javacpp.cachedir")?.let { command += "-Dorg.bytedeco.javacpp.cachedir=$it" }
    command += listOf("-cp", System.getProperty("java.class.path"), "io.github.kontrast.samples.bench.LossBenchmarkKt")
    command += listOf(loss.key, "$n", "${settings.d}", "$chunkRows", "${settings.repeats}", "${settings.warmup}")
    return measure("kontrast", loss, n, form, if (chunkRows > 0) chunkRows else null, command)
  }

  private fun measureTorch(loss: BenchLoss, n: Int): LossRecord {
    val command = listOf(settings.python, settings.torchScript.toString(), loss.key, "$n", "${settings.d}", "${settings.repeats}", "${settings.warmup}")
    return measure("pytorch", loss, n, "full", null, command)
  }

  /** Runs [command], which prints `median_ms peak_rss_bytes` as its last line. */
  private fun measure(engine: String, loss: BenchLoss, n: Int, form: String, chunkRows: Int?, command: List<String>): LossRecord {
    val output = Files.createTempFile("kontrast-bench", ".txt")
    try {
      val process = ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start()
      val finished = process.waitFor(settings.timeoutSeconds, TimeUnit.SECONDS)
      if (!finished) {
        process.destroyForcibly().waitFor()
        return LossRecord(engine, loss.key, n, settings.d, form, chunkRows, null, null, "timed out after ${settings.timeoutSeconds} s")
      }
      val lines = Files.readAllLines(output)
      val last = lines.lastOrNull { it.isNotBlank() }?.trim()?.split(" ")
      val median = last?.getOrNull(0)?.toDoubleOrNull()
      val rss = last?.getOrNull(1)?.toLongOrNull()
      if (process.exitValue() != 0 || median == null || rss == null) {
        // the exception's own line says why (out of memory, say); the stack trace under it does not
        val why = lines.firstOrNull { it.contains("Exception") || it.contains("Error") }?.trim() ?: lines.takeLast(3).joinToString(" | ")
        return LossRecord(engine, loss.key, n, settings.d, form, chunkRows, null, null, "failed (exit ${process.exitValue()}): ${why.take(300)}")
      }
      return LossRecord(engine, loss.key, n, settings.d, form, chunkRows, median, rss, null)
    } finally {
      Files.deleteIfExists(output)
    }
  }

  private fun torchAvailability(): String? {
    if (!File(settings.python).canExecute()) return "${settings.python} is not there"
    if (!Files.exists(settings.torchScript)) return "the script ${settings.torchScript} is not there"
    val p = ProcessBuilder(settings.python, "-c", "import torch").redirectErrorStream(true).start()
    p.inputStream.readAllBytes()
    return if (p.waitFor() == 0) null else "${settings.python} cannot import torch (Debian: apt-get install python3-torch)"
  }

  companion object {
    fun describe(r: LossRecord): String {
      val what = "%-8s %-8s n=%-6d %-7s".format(r.engine, r.loss, r.n, r.form)
      return if (r.medianMs == null) "$what ${r.note}" else "$what %10.1f ms  %6.2f GiB peak RSS".format(r.medianMs, gib(r.peakRssBytes!!))
    }

    fun gib(bytes: Long): Double = bytes / (1024.0 * 1024 * 1024)

    /** The Markdown table README includes: one row per loss and N, the forms side by side. */
    fun markdown(records: List<LossRecord>, torchMissing: String?): String {
      fun cell(r: LossRecord?): String = when {
        r == null -> "-"
        r.medianMs == null -> r.note ?: "-"
        else -> "%,.1f ms, %.2f GiB".format(r.medianMs, gib(r.peakRssBytes!!))
      }
      val sb = StringBuilder()
      sb.append("| loss | N | Kontrast full | Kontrast chunked | chunked / full time | PyTorch full |\n")
      sb.append("|---|---|---|---|---|---|\n")
      val keys = records.map { it.loss to it.n }.distinct()
      for ((loss, n) in keys) {
        fun find(engine: String, form: String) = records.firstOrNull { it.loss == loss && it.n == n && it.engine == engine && it.form == form }
        val full = find("kontrast", "full")
        val chunked = find("kontrast", "chunked")
        val ratio = if (full?.medianMs != null && chunked?.medianMs != null) "%.2f".format(chunked.medianMs / full.medianMs) else "-"
        val torch = if (torchMissing != null) "not timed" else cell(find("pytorch", "full"))
        sb.append("| $loss | ${"%,d".format(n)} | ${cell(full)} | ${cell(chunked)} | $ratio | $torch |\n")
      }
      if (torchMissing != null) sb.append("\nPyTorch not timed: $torchMissing.\n")
      return sb.toString()
    }
  }
}
