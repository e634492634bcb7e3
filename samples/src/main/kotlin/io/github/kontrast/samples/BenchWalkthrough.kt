package io.github.kontrast.samples

import io.github.kontrast.samples.bench.runSiameseBenchmark
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/** `./kontrast bench`: the engine against a hand-written TF Java graph of document 001's step. */
@Command(name = "bench", description = ["document 001's training step: Kontrast's engine against a hand-written TF Java graph"])
class BenchWalkthrough : Walkthrough() {
  @Option(names = ["--steps"], paramLabel = "N", converter = [Count::class], description = ["timed steps per side (default \${DEFAULT-VALUE})"])
  var steps: Int = 50

  @Option(names = ["--warmup"], paramLabel = "N", converter = [NonNegative::class], description = ["untimed steps first (default \${DEFAULT-VALUE})"])
  var warmup: Int = 5

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["pairs per step (default \${DEFAULT-VALUE})"])
  var batchSize: Int = 64

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where bench.json goes (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/bench")

  override fun call(): Int {
    val result = runSiameseBenchmark(steps, warmup, batchSize)
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
