package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

/**
 * `./kontrast siamese-mnist-java` as a user starts it, in its own JVM, with KONTRAST_DATA naming the
 * shipped subset so that every machine trains on the same images: it must beat a bar just under
 * what its seed reaches.
 */
class SiameseMnistJavaWalkthroughSpec : FunSpec({
  test("a short run from plain Java beats its bar") {
    val dir = Files.createTempDirectory("siamese-mnist-java")
    // the subset's 4,800 training images -> 9,600 pairs -> 600 steps of 16
    val args = listOf("siamese-mnist-java", "--batch-size", "16", "--epochs", "1", "--quiet")
    val ran = finished(startKontrast(args, dir, mapOf("KONTRAST_DATA" to subsetDir.toString())), dir)
    ran.code shouldBe 0
    ran.out shouldContain "validation loss per epoch: ["
    val accuracy = Regex("test pair accuracy: (0\\.\\d{4})").find(ran.out)!!.groupValues[1].toDouble()
    accuracy shouldBeGreaterThanOrEqual BAR
  }
}) {
  companion object {
    /**
     * Test pair accuracy of this run (seed 42, one epoch of 600 steps of 16 on the subset, 2,000
     * test pairs) is 0.6295 on the 2-core CI machine; the bar sits a little under. Chance is 0.5.
     */
    const val BAR = 0.62
  }
}
