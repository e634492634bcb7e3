package io.github.kontrast.samples

import io.github.kontrast.dsl.data.Emoji
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * `./kontrast clip-emoji --quick`, CI's smoke run of document 004's CLIP: on the Twemoji set that
 * `.ci/install-data` installs (the test runs where it is installed, and always under CI, where a
 * missing set fails it), and on the captioned MNIST subset shipped in the jar (runs everywhere).
 * Each must clear its bars well above chance and write every file; without the emoji the command
 * fails naming the package and the install command.
 */
class ClipEmojiWalkthroughSpec : FunSpec({
  val underCi = System.getenv("CI")?.trim()?.lowercase() in setOf("true", "1")
  val home = Path.of(System.getProperty("user.home"))
  // listOf, not list + path: a Path is an Iterable of its name elements, and + would add those
  val dataDirs: List<Path> = listOfNotNull(System.getenv("KONTRAST_DATA")?.let { Path.of(it) }, home.resolve(".kontrast").resolve("datasets"))
  val emojiInstalled = dataDirs.any { Files.isRegularFile(it.resolve(Emoji.FOLDER).resolve("emoji.json")) }

  /** recall@k in both directions, and their chance levels, from metrics.json. */
  fun recall(metrics: String, direction: String, k: Int, chance: Boolean): Double {
    val block = if (chance) metrics.substringAfter("\"chance\"") else metrics
    return jsonNumber(block.substringAfter("\"$direction\""), "recall_at_$k")
  }

  fun checkRun(ran: Ran, out: Path, classes: Int) {
    ran.code shouldBe 0
    for (f in listOf("metrics.json", "history.png", "temperature.png", "model/image/saved_model.pb", "model/text/saved_model.pb", "model/text/vocabulary.txt")) {
      (Files.size(out.resolve(f)) > 100) shouldBe true
    }
    val m = Files.readString(out.resolve("metrics.json"))
    var barred = 0
    for (direction in listOf("text_to_image", "image_to_text")) for (k in listOf(1, 5, 10)) {
      val chance = recall(m, direction, k, chance = true)
      (chance > 0.0 && chance <= 1.0) shouldBe true
      // 3x chance wherever that is below 1 (MNIST's ten captions leave only recall@1 there)
      if (3 * chance < 1.0) { recall(m, direction, k, chance = false) shouldBeGreaterThanOrEqual 3 * chance; barred++ }
    }
    (barred >= 2) shouldBe true
    val zeroShotChance = jsonNumber(m.substringAfter("\"chance\""), "zero_shot_accuracy")
    zeroShotChance shouldBe (1.0 / classes plusOrMinus 1e-12)
    jsonNumber(m, "zero_shot_accuracy") shouldBeGreaterThan 1.5 * jsonNumber(m, "zero_shot_majority_class")
    // the temperature starts at 0.07 and is a logit scale of at most 100
    jsonNumber(m, "temperature") shouldBeGreaterThanOrEqual 0.01
    jsonNumber(m, "pairs_per_second") shouldBeGreaterThan 0.0
    ran.out shouldContain "text -> image recall@1"
  }

  test("emoji: --quick clears its bars: recall both ways at least 3x chance, zero-shot 1.5x the largest category").config(enabled = emojiInstalled || underCi) {
    val out = Files.createTempDirectory("clip-emoji")
    val ran = kontrast("clip-emoji", "--quick", "--quiet", "--out", out.toString(), "--export", out.resolve("model").toString())
    if (!emojiInstalled) throw AssertionError("the emoji (${Emoji.PACKAGE}) are missing under CI; .ci/install-data installs them\n${ran.err}")
    checkRun(ran, out, classes = 9)
    Files.readString(out.resolve("metrics.json")) shouldContain "\"dataset\": \"${Emoji.PACKAGE} (1906 emoji, 32 px)\""
    // split.json: every emoji on exactly one side, a fifth held out (whole groups, so at least 20%)
    val split = Files.readString(out.resolve("split.json"))
    fun ids(key: String) = split.substringAfter("\"$key\": [").substringBefore("]").split(",").map { it.trim().toInt() }
    val train = ids("train")
    val held = ids("held_out")
    (train + held).sorted() shouldBe (0 until 1906).toList()
    held.size shouldBe 382
    jsonNumber(Files.readString(out.resolve("metrics.json")), "held_out_images") shouldBe 382.0
    Files.readAllLines(out.resolve("vocabulary.txt")).take(2) shouldBe listOf("<pad>", "<unk>")
  }

  test("mnist: the captioned digits of the shipped subset clear the same bars") {
    val out = Files.createTempDirectory("clip-mnist")
    // 3 epochs of the subset's 6,000 images are 141 steps, fewer than one epoch of full MNIST (--quick's 1)
    val ran = kontrast("clip-emoji", "--dataset", "mnist", "--data", subsetDir.toString(), "--quick", "--epochs", "3", "--quiet", "--out", out.toString(), "--export", out.resolve("model").toString())
    checkRun(ran, out, classes = 10)
  }

  test("mnist --augment: pairs augmented on both sides still clear the bars, and metrics.json names the recipe") {
    val out = Files.createTempDirectory("clip-mnist-augment")
    val ran = kontrast("clip-emoji", "--dataset", "mnist", "--data", subsetDir.toString(), "--quick", "--epochs", "3", "--augment", "--quiet", "--out", out.toString(), "--export", out.resolve("model").toString())
    checkRun(ran, out, classes = 10)
    ran.out shouldContain "Augmentation of each training pair: MultimodalAugmentation(image=Augmentation(RandomResizedCrop"
    Files.readString(out.resolve("metrics.json")) shouldContain "\"augmentation\": \"MultimodalAugmentation(image=Augmentation(RandomResizedCrop"
  }

  test("without the emoji the command fails with exit 1, naming the package and how to install it") {
    val dir = Files.createTempDirectory("clip-no-data")
    val empty = Files.createDirectories(dir.resolve("empty"))
    // a child JVM whose home and KONTRAST_DATA hold no data
    val env = mapOf("KONTRAST_DATA" to empty.toString(), "JAVA_TOOL_OPTIONS" to "-Duser.home=$empty")
    val ran = finished(startKontrast(listOf("clip-emoji", "--quick", "--data", empty.toString(), "--out", dir.resolve("out").toString()), dir, env), dir)
    ran.code shouldBe 1
    ran.err shouldContain "kontrast clip-emoji: the emoji (${Emoji.PACKAGE}) are not in $empty"
    ran.err shouldContain ".ci/install-data"
    ran.err shouldContain "--dataset mnist"
  }

  test("a bad --dataset is a usage error") {
    val ran = kontrast("clip-emoji", "--dataset", "cifar")
    ran.code shouldBe 2
    ran.err shouldContain "--dataset: expected emoji or mnist, got 'cifar'"
  }
})
