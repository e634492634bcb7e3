package io.github.kontrast.samples

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * `./kontrast simclr-mnist` in CI's quick mode on the MNIST subset shipped in the jar (the same
 * images on every machine): SimCLR's defaults, 4 epochs on 2,000 images at batch 128. That is
 * enough for the pre-trained encoder to beat its random initial weights: measured k-NN 0.839
 * against 0.779 and linear probe 0.925 against 0.891 (seed 42; seed 7: 0.864 against 0.832 and
 * 0.939 against 0.891). Two epochs were not (k-NN -0.015 to +0.015 over three seeds).
 */
class SelfSupervisedWalkthroughSpec : FunSpec({
  fun quick(out: Path, vararg more: String) = kontrast(
    "simclr-mnist", "--data", subsetDir.toString(), "--no-download", "--quiet",
    "--train-limit", "2000", "--test-limit", "1000", "--epochs", "4", "--batch-size", "128",
    "--out", out.toString(), *more,
  )

  test("a quick SimCLR run beats the random encoder: the loss falls, k-NN and probe gain, plots and SavedModel written") {
    val out = Files.createTempDirectory("simclr-mnist")
    val ran = quick(out, "--export", out.resolve("encoder").toString(), "--min-knn-gain", "0.02")
    val metrics = Files.readString(out.resolve("metrics.json"))
    withClue(ran.out + ran.err + metrics) {
      ran.code shouldBe 0
      metrics shouldContain "\"method\": \"simclr\""
      jsonNumber(metrics, "train_images") shouldBe 2000.0
      val losses = jsonList(metrics, "train_loss").trim('[', ']').split(",").map { it.trim().toDouble() }
      losses.size shouldBe 4
      losses[3] shouldBeLessThan losses[0]
      // random conv features already separate digits far above chance (0.1)
      jsonNumber(metrics, "random_knn_accuracy") shouldBeGreaterThan 0.5
      jsonNumber(metrics, "random_linear_probe_accuracy") shouldBeGreaterThan 0.5
      // measured gains 0.060 (k-NN) and 0.034 (probe); the bars leave room for other CPUs' rounding
      jsonNumber(metrics, "knn_accuracy") - jsonNumber(metrics, "random_knn_accuracy") shouldBeGreaterThan 0.02
      jsonNumber(metrics, "linear_probe_accuracy") - jsonNumber(metrics, "random_linear_probe_accuracy") shouldBeGreaterThan 0.015
      for (f in listOf("history.svg", "history.png", "pca.svg", "pca.png", "encoder/saved_model.pb")) (Files.size(out.resolve(f)) > 100) shouldBe true
    }
  }

  test("--min-knn-gain above the gain reached fails the run with status 1 and says why") {
    val out = Files.createTempDirectory("simclr-mnist-bar")
    val ran = quick(out, "--min-knn-gain", "0.3")
    val metrics = Files.readString(out.resolve("metrics.json"))
    withClue(ran.out + ran.err + metrics) {
      (jsonNumber(metrics, "knn_accuracy") - jsonNumber(metrics, "random_knn_accuracy")) shouldBeLessThan 0.3
      ran.code shouldBe 1
      ran.err shouldContain "kontrast simclr-mnist: k-NN accuracy"
      ran.err shouldContain "by less than --min-knn-gain 0.3000"
    }
  }

  test("--method names one of the five; anything else ends with one line and status 2") {
    val ran = kontrast("simclr-fashion", "--method", "byol")
    ran.code shouldBe 2
    ran.err shouldContain "expected one of simclr, moco, simsiam, swav, supcon, got 'byol'"
  }
})
