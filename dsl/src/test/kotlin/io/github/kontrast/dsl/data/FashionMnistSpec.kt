package io.github.kontrast.dsl.data

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path

/**
 * Reads the real Fashion-MNIST where Debian's dataset-fashion-mnist is installed; skipped elsewhere,
 * but under CI, which installs it, a missing copy fails ([CiData]).
 */
class FashionMnistSpec : FunSpec({
  val system = Path.of(FashionMnist.SYSTEM_DIR)
  val present = Files.isDirectory(system)
  test("Debian's gzipped Fashion-MNIST loads: 60,000/10,000, exactly balanced classes").config(enabled = CiData.runs(present)) {
    CiData.require(present, "Fashion-MNIST ($system)", ".ci/run (apt-get install dataset-fashion-mnist)")
    val empty = TestFiles.tempDir("fashion")
    try {
      val data = FashionMnist.load(DataDirectories(null, emptyMap(), empty), system)
      data.source shouldBe "Fashion-MNIST (full, IDX from $system)"
      data.train.images.shape.toList() shouldBe listOf(60_000, 28, 28, 1)
      // Zalando's set has 6,000 training and 1,000 test images of each of its 10 classes
      data.train.classCounts() shouldBe (0..9).associateWith { 6_000 }
      data.test.classCounts() shouldBe (0..9).associateWith { 1_000 }
    } finally {
      TestFiles.deleteTree(empty)
    }
  }
})
