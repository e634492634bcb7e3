package io.github.kontrast.samples.bench

import java.nio.file.Path

/**
 * One row of the SimCLR suite's bench.json: one engine and loss form training at batch [n] (2n
 * views; [d] the projection's width). The figures are null for a run that did not finish, and
 * [note] says why.
 */
data class SimclrRecord(
  val engine: String,
  val n: Int,
  val form: String,
  val chunkRows: Int?,
  val medianMs: Double?,
  val peakRssBytes: Long?,
  val imagesPerSecond: Double?,
  val feedMs: Double?,
  val waitMs: Double?,
  val note: String?,
) {
  /** The record as bench.json holds it. */
  fun toMap(): Map<String, Any?> = linkedMapOf(
    "suite" to "simclr", "engine" to engine, "loss" to "nt_xent", "n" to n, "d" to PROJECTION_WIDTH, "form" to form,
    "chunk_rows" to chunkRows, "median_ms" to medianMs, "peak_rss_bytes" to peakRssBytes, "images_per_s" to imagesPerSecond,
    "feed_ms" to feedMs, "wait_ms" to waitMs, "note" to note,
  )

  companion object {
    /** The width of `simclr { }`'s default projector output, where NT-Xent works. */
    const val PROJECTION_WIDTH = 64
  }
}

/** Settings of `./kontrast bench --suite simclr`. */
data class SimclrSuiteSettings(
  /** Images per step (each seen as two views). */
  val batch: Int = 256,
  val steps: Int = 20,
  val warmup: Int = 3,
  /** Rows per block of the chunked NT-Xent, over the 2 x [batch] views. */
  val chunkRows: Int = 128,
  /** Processes of PyTorch's DataLoader making the views ahead of the step (Kontrast: one prefetch thread). */
  val torchWorkers: Int = 1,
  val torchScript: Path,
  val python: String = PyTorchSide.PYTHON,
  val timeoutSeconds: Long = 1800,
)

/**
 * The SimCLR suite: [timeSimclr] in the full and the chunked loss form, and `tools/bench_simclr.py`
 * when PyTorch is installed, each in a fresh process so that its peak RSS is its own.
 */
class SimclrSuite(private val settings: SimclrSuiteSettings, private val log: (String) -> Unit = ::println) {
  /** Why PyTorch is not timed, or null when it is. */
  val torchMissing: String? = PyTorchSide.missing(settings.python, settings.torchScript)

  /** Runs every measurement and returns its records, Kontrast's full and chunked first. */
  fun run(): List<SimclrRecord> {
    val s = settings
    val records = ArrayList<SimclrRecord>()
    for ((form, rows) in listOf("full" to 0, "chunked" to s.chunkRows)) {
      val args = listOf("${s.batch}", "${s.steps}", "${s.warmup}", "$rows")
      records += measure("kontrast", form, if (rows > 0) rows else null, ChildProcess.java("io.github.kontrast.samples.bench.SimclrBenchmarkKt", args))
        .also { log(describe(it)) }
    }
    if (torchMissing == null) {
      val command = listOf(s.python, s.torchScript.toString(), "${s.batch}", "${s.steps}", "${s.warmup}", "${s.torchWorkers}")
      records += measure("pytorch", "full", null, command).also { log(describe(it)) }
    }
    return records
  }

  private fun measure(engine: String, form: String, chunkRows: Int?, command: List<String>): SimclrRecord {
    val run = ChildProcess.run(command, 5, settings.timeoutSeconds)
    val f = run.fields?.map { it.toDoubleOrNull() }
    if (f == null || f.any { it == null }) {
      return SimclrRecord(engine, settings.batch, form, chunkRows, null, null, null, null, null, run.failure ?: "unreadable figures: ${run.fields}")
    }
    return SimclrRecord(engine, settings.batch, form, chunkRows, f[0], f[1]!!.toLong(), f[2], f[3], f[4], null)
  }

  companion object {
    /** One line for the console. */
    fun describe(r: SimclrRecord): String {
      val what = "%-8s batch=%-5d %-7s".format(r.engine, r.n, r.form)
      return if (r.medianMs == null) {
        "$what ${r.note}"
      } else {
        "$what %8.1f ms a step  %7.1f images/s  %6.2f GiB peak RSS  feed %6.1f ms/batch, wait %5.1f ms/step"
          .format(r.medianMs, r.imagesPerSecond, LossSuite.gib(r.peakRssBytes!!), r.feedMs, r.waitMs)
      }
    }

    /** The Markdown table README includes. */
    fun markdown(records: List<SimclrRecord>, torchMissing: String?): String {
      val sb = StringBuilder()
      sb.append("| engine | form | batch | step (median) | images/s | peak RSS | making a batch (other thread) | step waits for data |\n")
      sb.append("|---|---|---|---|---|---|---|---|\n")
      for (r in records) {
        val form = r.chunkRows?.let { "${r.form} ($it rows)" } ?: r.form
        if (r.medianMs == null) {
          sb.append("| ${r.engine} | $form | ${r.n} | ${r.note} | | | | |\n")
        } else {
          sb.append("| %s | %s | %d | %,.1f ms | %,.0f | %.2f GiB | %,.1f ms | %,.1f ms |\n"
            .format(r.engine, form, r.n, r.medianMs, r.imagesPerSecond, LossSuite.gib(r.peakRssBytes!!), r.feedMs, r.waitMs))
        }
      }
      if (torchMissing != null) sb.append("\nPyTorch not timed: $torchMissing.\n")
      return sb.toString()
    }
  }
}
