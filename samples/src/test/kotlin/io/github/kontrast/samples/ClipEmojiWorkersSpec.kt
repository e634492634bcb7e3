package io.github.kontrast.samples

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import kotlin.math.abs

/**
 * `./kontrast clip-emoji --workers 2` on the captioned MNIST subset: two worker processes (started
 * by a launcher JVM) train what one process trains, so with a global batch that divides the 6,000
 * training pairs (200: 30 steps) worker 0 reports the single process's training loss and learned
 * temperature, and writes the results as one process does.
 */
class ClipEmojiWorkersSpec : FunSpec({
  test("--workers 2 gives the single process's training loss and temperature; worker 0 writes the results") {
    val root = Files.createTempDirectory("clip-workers")
    val args = listOf("clip-emoji", "--dataset", "mnist", "--data", subsetDir.toString(), "--epochs", "1", "--batch-size", "200", "--quiet")
    val single = kontrast(*(args + listOf("--out", root.resolve("one").toString())).toTypedArray())
    withClue(single.err) { single.code shouldBe 0 }
    val launched = finished(startKontrast(args + listOf("--workers", "2", "--out", root.resolve("two").toString()), root), root, seconds = 300)
    withClue(launched.err + launched.out.takeLast(2000)) { launched.code shouldBe 0 }
    launched.out shouldContain "text -> image recall@1"
    val one = Files.readString(root.resolve("one/metrics.json"))
    val two = Files.readString(root.resolve("two/metrics.json"))
    jsonNumber(one, "workers") shouldBe 1.0
    jsonNumber(two, "workers") shouldBe 2.0
    val lossOne = jsonList(one, "train_loss").trim('[', ']').toDouble()
    val lossTwo = jsonList(two, "train_loss").trim('[', ']').toDouble()
    // 30 Adam steps of float32 sums in another order (gathered logits, averaged gradients): 1e-4 relative
    withClue("training loss: 1 process $lossOne, 2 workers $lossTwo") { (abs(lossOne - lossTwo) <= 1e-4 * abs(lossOne)) shouldBe true }
    val tOne = jsonNumber(one, "temperature")
    val tTwo = jsonNumber(two, "temperature")
    withClue("learned temperature: 1 process $tOne, 2 workers $tTwo") { (abs(tOne - tTwo) <= 1e-4 * tOne) shouldBe true }
    for (f in listOf("metrics.json", "history.png", "temperature.png", "vocabulary.txt")) (Files.size(root.resolve("two").resolve(f)) > 100) shouldBe true
  }
})
