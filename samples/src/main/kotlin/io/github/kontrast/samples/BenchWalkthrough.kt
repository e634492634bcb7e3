package io.github.kontrast.samples

import io.github.kontrast.samples.bench.runSiameseBenchmark
import java.nio.file.Files
import java.nio.file.Paths

/** `./kontrast bench`: the engine against a hand-written TF Java graph of document 001's step. */
object BenchWalkthrough : Walkthrough {
  override val name = "bench"
  override val summary = "document 001's training step: Kontrast's engine against a hand-written TF Java graph"
  override val options = linkedMapOf(
    "--steps N" to "timed steps per side (default 50)",
    "--warmup N" to "untimed steps first (default 5)",
    "--batch-size N" to "pairs per step (default 64)",
    "--out DIR" to "where bench.json goes (default out/bench)",
  )

  override fun run(args: Args): Int {
    val result = runSiameseBenchmark(args.int("steps", 50), args.int("warmup", 5, min = 0), args.int("batch-size", 64))
    val out = Paths.get(args.string("out") ?: "out/bench")
    Files.createDirectories(out)
    val json = linkedMapOf<String, Any?>(
      "batch_size" to result.batchSize,
      "steps" to result.engine.steps,
      "hand_written_ms_median" to result.handWritten.median,
      "hand_written_ms_p90" to result.handWritten.p90,
      "engine_ms_median" to result.engine.median,
      "engine_ms_p90" to result.engine.p90,
      "engine_session_run_ms_median" to result.engineRunOnly.median,
      "overhead_percent" to result.overheadPercent,
    )
    Files.writeString(out.resolve("bench.json"), Json.write(json) + "\n")
    println("Written to ${out.resolve("bench.json")}")
    return 0
  }
}
