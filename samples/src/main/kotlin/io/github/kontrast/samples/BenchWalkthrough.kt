package io.github.kontrast.samples

import io.github.kontrast.samples.bench.BenchLoss
import io.github.kontrast.samples.bench.LossSuite
import io.github.kontrast.samples.bench.LossSuiteSettings
import io.github.kontrast.samples.bench.Machine
import io.github.kontrast.samples.bench.PyTorchSide
import io.github.kontrast.samples.bench.SimclrSuite
import io.github.kontrast.samples.bench.SimclrSuiteSettings
import io.github.kontrast.samples.bench.StepTimes
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
 * backward, full and chunked; `--suite simclr` times SimCLR training steps, augmentation included.
 * The last two time PyTorch on the same work when it is installed.
 */
@Command(name = "bench", description = ["document 001's training step: Kontrast's engine against a hand-written TF Java graph; --suite losses: large-batch losses; --suite simclr: SimCLR steps with augmentation; both against PyTorch when installed"])
class BenchWalkthrough : Walkthrough() {
  @Option(names = ["--suite"], paramLabel = "NAME", description = ["siamese, losses or simclr (default \${DEFAULT-VALUE})"])
  var suite: String = "siamese"

  @Option(names = ["--n"], paramLabel = "N", split = ",", converter = [Count::class], description = ["losses: batch sizes (default 1024,4096,16384,32768)"])
  var sizes: List<Int> = listOf(1024, 4096, 16384, 32768)

  @Option(names = ["--losses"], paramLabel = "LOSS", split = ",", description = ["losses: which of nt_xent, info_nce, clip (default all)"])
  var losses: List<String> = BenchLoss.entries.map { it.key }

  @Option(names = ["--dim"], paramLabel = "D", converter = [Count::class], description = ["losses: embedding size (default \${DEFAULT-VALUE})"])
  var dim: Int = 128

  @Option(names = ["--chunk-rows"], paramLabel = "N", converter = [Count::class], description = ["losses, simclr: rows per block of the chunked form (default: losses 1024, simclr 128)"])
  var chunkRows: Int? = null

  @Option(names = ["--full-max-n"], paramLabel = "N", converter = [NonNegative::class], description = ["losses: largest N the full forms are started at (default \${DEFAULT-VALUE})"])
  var fullMaxN: Int = 8192

  @Option(names = ["--repeats"], paramLabel = "N", converter = [Count::class], description = ["losses: timed runs per measurement (default \${DEFAULT-VALUE})"])
  var repeats: Int = 5

  @Option(names = ["--steps"], paramLabel = "N", converter = [Count::class], description = ["siamese, simclr: timed steps per side (default: siamese 50, simclr 20)"])
  var steps: Int? = null

  @Option(names = ["--warmup"], paramLabel = "N", converter = [NonNegative::class], description = ["siamese, simclr: untimed steps first (default: siamese 5, simclr 3)"])
  var warmup: Int? = null

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["siamese: pairs per step (default 64); simclr: images per step (default 256, simclr-mnist's)"])
  var batchSize: Int? = null

  @Option(names = ["--torch-workers"], paramLabel = "N", converter = [NonNegative::class], description = ["simclr: PyTorch DataLoader processes making the views ahead (default \${DEFAULT-VALUE}; Kontrast uses one prefetch thread)"])
  var torchWorkers: Int = 1

  @Option(names = ["--out"], paramLabel = "DIR", description = ["where bench.json goes (default \${DEFAULT-VALUE})"])
  var out: Path = Paths.get("out/bench")

  override fun call(): Int = when (suite) {
    "siamese" -> siamese()
    "losses" -> losses()
    "simclr" -> simclr()
    else -> throw ParameterException(spec.commandLine(), "Invalid value for option '--suite': expected siamese, losses or simclr, got '$suite'")
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
      sizes = sizes, losses = chosen, d = dim, chunkRows = chunkRows ?: 1024, fullMaxN = fullMaxN, repeats = repeats,
      torchScript = PyTorchSide.script("bench_losses.py"),
    )
    val suite = LossSuite(settings)
    return runSuite("losses", "Loss", suite.torchMissing, settings.python, { "${settings.python} ${settings.torchScript}" },
      "Each measurement: a fresh process, ${settings.warmup} untimed + $repeats timed runs of forward + backward, D = $dim",
      mapOf("repeats" to repeats)) {
      val records = suite.run()
      records.map { it.toMap() } to LossSuite.markdown(records, suite.torchMissing)
    }
  }

  private fun simclr(): Int {
    val settings = SimclrSuiteSettings(
      batch = batchSize ?: 256, steps = steps ?: 20, warmup = warmup ?: 3, chunkRows = chunkRows ?: 128,
      torchWorkers = torchWorkers, torchScript = PyTorchSide.script("bench_simclr.py"),
    )
    val suite = SimclrSuite(settings)
    return runSuite("simclr", "SimCLR", suite.torchMissing, settings.python,
      { "${settings.python} ${settings.torchScript}, ${settings.torchWorkers} DataLoader worker(s)" },
      "Each measurement: a fresh process, batch ${settings.batch} (two views each, digit augmentations), ${settings.warmup} untimed + ${settings.steps} timed steps",
      mapOf("steps" to settings.steps)) {
      val records = suite.run()
      records.map { it.toMap() } to SimclrSuite.markdown(records, suite.torchMissing)
    }
  }

  /**
   * What the losses and simclr suites share: prints the machine and the PyTorch side, runs
   * [measure] (records as maps, and the Markdown table), writes `bench.json` and `bench.md` into
   * [out]/[name] and prints the table.
   */
  private fun runSuite(
    name: String, title: String, torchMissing: String?, python: String, torchCommand: () -> String, method: String,
    settings: Map<String, Any?>, measure: () -> Pair<List<Map<String, Any?>>, String>,
  ): Int {
    val machine = Machine.describe()
    println("$title suite on $machine")
    val torch = torchMissing?.let { "not timed: $it" } ?: PyTorchSide.describe(python)
    println(torchMissing?.let { "PyTorch not timed: $it" } ?: "PyTorch timed with ${torchCommand()}: $torch")
    println(method)
    val (records, table) = measure()
    val dir = out.resolve(name)
    Files.createDirectories(dir)
    val json = linkedMapOf<String, Any?>("suite" to name, "machine" to machine, "pytorch" to torch)
    json.putAll(settings)
    json["results"] = records
    Files.writeString(dir.resolve("bench.json"), Json.write(json) + "\n")
    Files.writeString(dir.resolve("bench.md"), "Measured on $machine; $torch.\n\n$table")
    println()
    print(table)
    println("Written to ${dir.resolve("bench.json")} and ${dir.resolve("bench.md")}")
    return 0
  }

  private fun siamese(): Int {
    val result = runSiameseBenchmark(steps ?: 50, warmup ?: 5, batchSize ?: 64)
    Files.createDirectories(out)
    val json = linkedMapOf<String, Any?>(
      "batch_size" to result.batchSize,
      "steps" to result.engine.steps,
      "hand_written_ms_median" to result.handWritten.median,
      "hand_written_ms_p90" to result.handWritten.p90,
      "engine_ms_median" to result.engine.median,
      "engine_ms_p90" to result.engine.p90,
      "engine_session_run_ms_median" to result.engineRunOnly.median,
      "engine_wait_ms_median" to result.engineWait.median,
      "overhead_percent" to result.overheadPercent,
      "machine" to Machine.describe(),
      "results" to listOf(
        siameseRecord("tensorflow-java", "hand-written graph", result.handWritten, null, result.batchSize),
        siameseRecord("kontrast", "fit", result.engine, result.engineWait, result.batchSize),
      ),
    )
    Files.writeString(out.resolve("bench.json"), Json.write(json) + "\n")
    println("Written to ${out.resolve("bench.json")}")
    return 0
  }

  private fun siameseRecord(engine: String, form: String, times: StepTimes, wait: StepTimes?, batch: Int): Map<String, Any?> = linkedMapOf(
    "suite" to "siamese", "engine" to engine, "loss" to "contrastive", "n" to batch, "d" to 128, "form" to form,
    "median_ms" to times.median, "p90_ms" to times.p90, "wait_ms" to wait?.median,
  )
}
