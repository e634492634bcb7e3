package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeBetween
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

/** The launcher's contract: a short run writes every file the issue names, with sane values. */
class SiameseMnistWalkthroughSpec : FunSpec({
  test("a short run writes metrics.json, the plots, the checkpoint and, with --export, the SavedModel") {
    val out = Files.createTempDirectory("siamese-mnist")
    val args = listOf("--epochs", "1", "--train-limit", "400", "--batch-size", "32", "--out", out.toString(), "--quiet", "--no-download", "--export", out.resolve("model").toString())
    SiameseMnistWalkthrough.run(SiameseMnistWalkthrough.parse(args)) shouldBe 0

    for (f in listOf("metrics.json", "history.svg", "history.png", "pairs.svg", "pairs.png", "checkpoint.ktck", "model/saved_model.pb", "model/variables/variables.index")) {
      Files.size(out.resolve(f)).toDouble().shouldBeBetween(1.0, 1e9, 0.0)
    }
    val metrics = Files.readString(out.resolve("metrics.json"))
    for (key in listOf("train_loss", "val_loss", "test_accuracy", "step_ms_median", "pairs_per_second", "dataset")) {
      metrics shouldContain "\"$key\""
    }
    val accuracy = Regex("\"test_accuracy\": ([0-9.]+)").find(metrics)!!.groupValues[1].toDouble()
    accuracy.shouldBeBetween(0.0, 1.0, 0.0)
  }

  test("--min-accuracy above what a run reaches fails the run") {
    val out = Files.createTempDirectory("siamese-mnist")
    val args = listOf("--epochs", "1", "--train-limit", "200", "--out", out.toString(), "--quiet", "--no-download", "--min-accuracy", "1.01")
    SiameseMnistWalkthrough.run(SiameseMnistWalkthrough.parse(args)) shouldBe 1
  }
})
