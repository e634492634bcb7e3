package io.github.kontrast.samples

import io.github.kontrast.samples.bench.BenchLoss
import io.github.kontrast.samples.bench.LossSuite
import io.github.kontrast.samples.bench.LossSuiteSettings
import io.github.kontrast.samples.bench.Machine
import io.github.kontrast.samples.bench.runSiameseBenchmark
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.ParameterException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * `./kontrast bench`: `--suite siamese` (the default) times the engine against a hand-written TF
 * Java graph of document 001's step; `--suite losses` times NT-Xent, InfoNCE and CLIP forward and
 * backward, full and chunked, against PyTorch when it is installed.
 */
@Command(name = "bench", description = ["document 001's training step: Kontrast's engine against a hand-written TF Java graph; --suite losses: large-batch losses"])
class BenchWalkthrough : Walkthrough() {
  @Option(names = ["--suite"], paramLabel = "NAME", description = ["siamese or losses (default \${DEFAULT-VALUE})"])
  var suite: String = "siamese"

  @Option(names = ["--n"], paramLabel = "N", split = ",", converter = [Count::class], description = ["losses: batch sizes (default 1024,4096,16384,32768)"])
  var sizes: List<Int> = listOf(1024, 4096, 16384, 32768)

  @Option(names = ["--losses"], paramLabel = "LOSS", split = ",", description = ["losses: which of nt_xent, info_nce, clip (default all)"])
  var losses: List<String> = BenchLoss.entries.map { it.key }

  @Option(names = ["--dim"], paramLabel = "D", converter = [Count::class], description = ["losses: embedding size (default \${DEFAULT-VALUE})"])
  var dim: Int = 128

  @Option(names = ["--chunk-rows"], paramLabel = "N", converter = [Count::class], description = ["losses: rows per block of the chunked form (default \${DEFAULT-VALUE})"])
  var chunkRows: Int = 1024

  @Option(names = ["--full-max-n"], paramLabel = "N", converter = [NonNegative::class], description = ["losses: largest N the full forms are started at (default \${DEFAULT-VALUE})"])
  var fullMaxN: Int = 8192

  @Option(names = ["--repeats"], paramLabel = "N", converter = [Count::class], description = ["losses: timed runs per measurement (default \${DEFAULT-VALUE})"])
  var repeats: Int = 5

  @Option(names = ["--steps"], paramLabel = "N", converter = [Count::class], description = ["timed steps per side (default \${DEFAULT-VALUE})"])
  var steps: Int = 50

  @Option(names = ["--warmup"], paramLabel = "N", converter = [NonNegative::class], description = ["untimed steps first (default \${DEFAULT-VALUE})"])
  var warmup: Int = 5

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["pairs per step (default \${DEFAULT-VALUE})"])
  var batchSize: Int = 64

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where bench.json goes (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/bench")

  override fun call(): Int = when (suite) {
    "siamese" -> siamese()
    "losses" -> losses()
    else -> throw ParameterException(spec.commandLine(), "Invalid value for option '--suite': expected siamese or losses, got '$suite'")
  }

  private fun losses(): Int {
    val chosen = losses.map {
      BenchLoss.entries.firstOrNull { l -> l.key == it }
        ?: throw ParameterException(spec.commandLine(), "Invalid value for option '--losses': expected nt_xent, info_nce or clip, got '$it'")
    }
    if (BenchLoss.NT_XENT in chosen && sizes.any { it % 2 != 0 }) {
      throw ParameterException(spec.commandLine(), "Invalid value for option '--n': nt_xent takes two views of N/2 examples, so N must be even, got $sizes")
    }
    val settings = LossSuiteSettings(
      sizes = sizes, losses = chosen, d = dim, chunkRows = chunkRows, fullMaxN = fullMaxN, repeats = repeats,
      torchScript = Paths.get("tools", "bench_losses.py"),
    )
    val machine = Machine.describe()
    println("Loss suite on $machine")
    val suite = LossSuite(settings)
    println(suite.torchMissing?.let { "PyTorch not timed: $it" } ?: "PyTorch timed with ${settings.python} ${settings.torchScript}")
    println("Each measurement: a fresh process, ${settings.warmup} untimed + $repeats timed runs of forward + backward, D = $dim")
    val records = suite.run()
    val dir = out.resolve("losses")
    Files.createDirectories(dir)
    val json = linkedMapOf<String, Any?>(
      "suite" to "losses",
      "machine" to machine,
      "pytorch" to (suite.torchMissing?.let { "not timed: $it" } ?: "timed"),
      "repeats" to repeats,
      "results" to records.map { it.toMap() },
    )
    Files.writeString(dir.resolve("bench.json"), Json.write(json) + "\n")
    val table = LossSuite.markdown(records, suite.torchMissing)
    Files.writeString(dir.resolve("bench.md"), "Measured on $machine.\n\n$table")
    println()
    print(table)
    println("Written to ${dir.resolve("bench.json")} and ${dir.resolve("bench.md")}")
    return 0
  }

  private fun siamese(): Int {
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
