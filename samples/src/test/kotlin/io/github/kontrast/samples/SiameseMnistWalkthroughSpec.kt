package io.github.kontrast.samples

import io.github.kontrast.dsl.engine.Checkpoint
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name

/**
 * `./kontrast siamese-mnist` on the MNIST subset shipped in the jar (the same images on every
 * machine): a short training must beat a bar just under what the seed reaches; --quiet keeps the
 * epoch lines; --resume after a stop, and after Ctrl-C, ends exactly where an uninterrupted run does.
 */
class SiameseMnistWalkthroughSpec : FunSpec({
  val data = listOf("--data", subsetDir.toString(), "--no-download")

  val barOut = Files.createTempDirectory("siamese-mnist")
  // the subset's 4,800 training images -> 9,600 pairs -> 600 steps of 16
  val barRun by lazy {
    kontrast("siamese-mnist", *data.toTypedArray(), "--batch-size", "16", "--epochs", "1", "--out", barOut.toString(), "--quiet", "--min-accuracy", BAR.toString(), "--export", barOut.resolve("model").toString())
  }

  test("a short run beats its bar and writes every file, the SavedModel of --export too") {
    barRun.code shouldBe 0
    for (f in listOf("metrics.json", "history.csv", "history.svg", "history.png", "pairs.svg", "pairs.png", "training-pairs.svg", "training-pairs.png", "checkpoint.ktck",
        "model/saved_model.pb", "model/variables/variables.index")) {
      (Files.size(barOut.resolve(f)) > 100) shouldBe true
    }
    val metrics = Files.readString(barOut.resolve("metrics.json"))
    metrics shouldContain "\"dataset\": \"MNIST (6,000/1,000, IDX from $subsetDir)\""
    jsonNumber(metrics, "test_accuracy") shouldBeGreaterThanOrEqual BAR
    jsonNumber(metrics, "step_ms_median").isFinite() shouldBe true
  }

  test("--quiet: no progress bar, but the epoch line with the epoch's figures") {
    barRun.out shouldNotContain "\r"
    Regex("(?m)^Epoch 1/1 - 600 steps - .*\\bloss: \\d+\\.\\d{4}\\b.* - val_pair_accuracy: 0\\.\\d{4}").containsMatchIn(barRun.out) shouldBe true
  }

  // --- resume: the same short run straight, stopped after epoch 1, and interrupted by Ctrl-C ---
  val common = data + listOf("--train-limit", "1000", "--batch-size", "16", "--seed", "7")
  val straightOut = Files.createTempDirectory("straight")
  val straight by lazy { kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "2", "--out", straightOut.toString()) }

  fun exactFigures(out: Path): List<String> {
    val m = Files.readString(out.resolve("metrics.json"))
    return listOf("train_loss", "val_loss", "train_accuracy", "val_accuracy").map { "$it ${jsonList(m, it)}" } +
      listOf("test_loss", "test_accuracy").map { "$it ${jsonNumber(m, it)}" }
  }

  test("--resume after one epoch ends with the figures of an uninterrupted two-epoch run, exactly") {
    val out = Files.createTempDirectory("resumed")
    val first = kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "1", "--out", out.toString())
    first.code shouldBe 0
    Checkpoint.read(out.resolve("checkpoint.ktck")).epoch shouldBe 1
    val resumed = kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "2", "--resume", "--out", out.toString())
    resumed.code shouldBe 0
    straight.code shouldBe 0
    // 800 training images -> 1,600 pairs -> 100 steps an epoch
    resumed.out shouldContain "Resuming from ${out.resolve("checkpoint.ktck")}: 1 of 2 epochs done (step 100)"
    resumed.out shouldNotContain "Epoch 1/2"
    resumed.out shouldContain "Epoch 2/2 - 100 steps"
    straight.out shouldContain "Epoch 1/2 - 100 steps"
    exactFigures(out) shouldContainExactly exactFigures(straightOut)
    Files.readString(out.resolve("history.csv")) shouldBe Files.readString(straightOut.resolve("history.csv"))
    Checkpoint.read(out.resolve("checkpoint.ktck")).step shouldBe 200L
    jsonList(Files.readString(out.resolve("metrics.json")), "train_loss").split(",").size shouldBe 2
  }

  test("Ctrl-C during epoch 2 exits 130 with one line naming the saved epoch; --resume then ends where the straight run does") {
    val dir = Files.createTempDirectory("interrupted")
    val out = dir.resolve("out")
    val child = startKontrast(listOf("siamese-mnist") + common + listOf("--epochs", "2", "--out", out.toString()), dir)
    val checkpoint = out.resolve("checkpoint.ktck")
    val deadline = System.nanoTime() + 300e9.toLong()
    while (!Files.exists(checkpoint) && child.isAlive && System.nanoTime() < deadline) Thread.sleep(20)
    Files.exists(checkpoint) shouldBe true
    Thread.sleep(100) // into epoch 2, which takes seconds on a CPU
    interrupt(child)
    val ran = finished(child, dir, 120)
    ran.code shouldBe 130
    ran.out shouldContain "Epoch 1/2"
    ran.out shouldNotContain "Epoch 2/2"
    val lines = ran.err.lines().filter { it.isNotBlank() }
    lines.last() shouldBe "kontrast siamese-mnist: interrupted; $checkpoint holds epoch 1 of 2: the same command with --resume continues from there"
    ran.err shouldNotContain "Exception"
    ran.err shouldNotContain "fatal error"
    out.listDirectoryEntries().map { it.name }.filter { it.endsWith(".tmp") } shouldBe emptyList()
    Checkpoint.read(checkpoint).epoch shouldBe 1

    val resumed = kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "2", "--resume", "--out", out.toString())
    resumed.code shouldBe 0
    exactFigures(out) shouldContainExactly exactFigures(straightOut)

    // everything done: --resume only evaluates, and a bar above the accuracy fails the run
    val again = kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "2", "--resume", "--out", out.toString(), "--min-accuracy", "0.99")
    again.code shouldBe 1
    again.out shouldContain "2 of 2 epochs done (step 200)"
    again.out shouldNotContain "Epoch "
    again.err.trim() shouldBe String.format(java.util.Locale.ROOT, "kontrast siamese-mnist: test pair accuracy %.4f is below --min-accuracy 0.9900", jsonNumber(Files.readString(out.resolve("metrics.json")), "test_accuracy"))
    exactFigures(out) shouldContainExactly exactFigures(straightOut)

    val fewer = kontrast("siamese-mnist", *common.toTypedArray(), "--epochs", "1", "--resume", "--out", out.toString())
    fewer.code shouldBe 2
    fewer.err.trim() shouldBe "kontrast siamese-mnist: --epochs 1 is fewer than the 2 epochs that $checkpoint already holds"
  }
}) {
  companion object {
    /**
     * Test pair accuracy of the bar run (seed 42, one epoch of 600 steps of 16 on the subset, 2,000
     * test pairs) is 0.6625 on the 2-core CI machine; the bar sits a little under, for CPUs whose
     * float rounding differs. Chance is 0.5; an untrained twin stays there (distances near 0).
     */
    const val BAR = 0.65
  }
}
