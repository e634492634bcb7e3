package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files

/**
 * `./kontrast contrastive-vae` on the MNIST subset shipped in the jar: a short run of both models
 * writes every figure and picture, its latent spaces beat chance and its decoders beat a grey image.
 */
class ContrastiveVaeWalkthroughSpec : FunSpec({
  val out = Files.createTempDirectory("contrastive-vae")
  val run by lazy {
    kontrast(
      "contrastive-vae", "--data", subsetDir.toString(), "--no-download", "--train-limit", "1000", "--test-limit", "300",
      "--epochs", "2", "--quiet", "--out", out.toString(),
    )
  }

  test("a short run trains both models, measures them on held-out images and writes every file") {
    run.code shouldBe 0
    run.out shouldContain "Train: 1000 images -> 2000 pairs"
    run.out shouldNotContain "\r"
    Regex("(?m)^Epoch 2/2 - 32 steps - .*contrastive_loss: ").containsMatchIn(run.out) shouldBe true
    run.err shouldNotContain "warning"
    val m = Files.readString(out.resolve("metrics.json"))
    jsonNumber(m, "test_images") shouldBe 300.0
    // ten classes: chance is about 0.1 (+-0.017 on 300 images); this run gives 0.20 and 0.28
    jsonNumber(m, "knn_accuracy_contrastive") shouldBeGreaterThan BAR
    jsonNumber(m, "knn_accuracy_plain") shouldBeGreaterThan BAR
    // a decoder giving grey 0.5 everywhere would be about 0.2 per pixel on MNIST; this run gives 0.069 and 0.067
    jsonNumber(m, "reconstruction_error_contrastive") shouldBeLessThan 0.08
    jsonNumber(m, "reconstruction_error_plain") shouldBeLessThan 0.08
    jsonNumber(m, "mean_negative_distance") shouldBeGreaterThan jsonNumber(m, "mean_positive_distance")
    for (f in listOf("reconstructions", "latent-contrastive", "latent-plain", "history-contrastive", "history-plain")) {
      (Files.size(out.resolve("$f.svg")) > 1000) shouldBe true
      (Files.size(out.resolve("$f.png")) > 1000) shouldBe true
    }
  }

  test("bad values end with one line and status 2") {
    val bad = kontrast("contrastive-vae", "--contrastive-weight", "-1")
    bad.code shouldBe 2
    bad.err.trim() shouldBe "kontrast contrastive-vae: Invalid value for option '--contrastive-weight': expected a number >= 0, got '-1'"
    kontrast("contrastive-vae", "--help").out shouldContain "--kl-weight=X"
  }
}) {
  companion object {
    /** k-NN accuracy bar for both models: three standard deviations above chance on 300 test images. */
    const val BAR = 0.15
  }
}
