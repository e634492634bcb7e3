package io.github.kontrast.samples.bench

import java.nio.file.Path

/**
 * One row of bench.json: flat, as the issue's format asks. [medianMs], [peakRssBytes] and
 * [lossValue] are null for a run that did not finish. [lossValue] is the loss on [BenchInputs],
 * which every engine and form computes on the same numbers, so the values of one loss and N must agree.
 */
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
  val lossValue: Double? = null,
) {
  fun toMap(): Map<String, Any?> = linkedMapOf(
    "suite" to "losses", "engine" to engine, "loss" to loss, "n" to n, "d" to d, "form" to form,
    "chunk_rows" to chunkRows, "median_ms" to medianMs, "peak_rss_bytes" to peakRssBytes, "loss_value" to lossValue, "note" to note,
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
  val python: String = PyTorchSide.PYTHON,
  val timeoutSeconds: Long = 1800,
)

/**
 * The loss suite: for every loss and N, the full and the chunked form in Kontrast and the full form
 * in PyTorch (when it is installed), each measurement in a fresh process so that its peak RSS is its
 * own. A process that fails (out of memory, say) is recorded with its exit code, not retried.
 */
class LossSuite(private val settings: LossSuiteSettings, private val log: (String) -> Unit = ::println) {
  /** Why PyTorch is not timed, or null when it is. */
  val torchMissing: String? = PyTorchSide.missing(settings.python, settings.torchScript)

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
    val args = listOf(loss.key, "$n", "${settings.d}", "$chunkRows", "${settings.repeats}", "${settings.warmup}")
    return measure("kontrast", loss, n, form, if (chunkRows > 0) chunkRows else null, ChildProcess.java("io.github.kontrast.samples.bench.LossBenchmarkKt", args))
  }

  private fun measureTorch(loss: BenchLoss, n: Int): LossRecord {
    val command = listOf(settings.python, settings.torchScript.toString(), loss.key, "$n", "${settings.d}", "${settings.repeats}", "${settings.warmup}")
    return measure("pytorch", loss, n, "full", null, command)
  }

  /** Runs [command], which prints `median_ms peak_rss_bytes loss_value` as its last line. */
  private fun measure(engine: String, loss: BenchLoss, n: Int, form: String, chunkRows: Int?, command: List<String>): LossRecord {
    val run = ChildProcess.run(command, 3, settings.timeoutSeconds)
    val f = run.fields
    val median = f?.get(0)?.toDoubleOrNull()
    val rss = f?.get(1)?.toLongOrNull()
    val value = f?.get(2)?.toDoubleOrNull()
    if (median == null || rss == null || value == null) {
      return LossRecord(engine, loss.key, n, settings.d, form, chunkRows, null, null, run.failure ?: "unreadable figures: $f")
    }
    return LossRecord(engine, loss.key, n, settings.d, form, chunkRows, median, rss, null, value)
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
      worstValueDifference(records)?.let { (r, diff) ->
        sb.append("\nLoss values on the same inputs: every engine and form agrees with the others of its loss and N to %.1e relative at most (%s, N = %,d).\n".format(diff, r.loss, r.n))
      }
      return sb.toString()
    }

    /**
     * The largest relative difference between two loss values of the same loss and N (any engine,
     * any form), with a record of that pair; null when no loss and N has two values.
     */
    fun worstValueDifference(records: List<LossRecord>): Pair<LossRecord, Double>? {
      var worst: Pair<LossRecord, Double>? = null
      for (group in records.filter { it.lossValue != null }.groupBy { it.loss to it.n }.values) {
        if (group.size < 2) continue
        val values = group.map { it.lossValue!! }
        val diff = (values.max() - values.min()) / maxOf(values.maxOf { Math.abs(it) }, Double.MIN_VALUE)
        if (worst == null || diff > worst.second) worst = group[0] to diff
      }
      return worst
    }
  }
}
