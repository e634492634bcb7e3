package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path

/** The launcher's command line, without training anything: listing, help, parsing, and mistakes. */
class CommandLineSpec : FunSpec({
  /** The walkthrough [args] select, with its options parsed. */
  fun parsed(vararg args: String): Any {
    val cmd = Kontrast.commandLine()
    val result = cmd.parseArgs(*args)
    return result.subcommand().commandSpec().userObject()
  }

  fun oneLine(ran: Ran): String {
    ran.err.lines().filter { it.isNotBlank() } shouldContainExactly listOf(ran.err.trim())
    ran.err shouldNotContain "Exception"
    ran.out shouldBe ""
    return ran.err.trim()
  }

  test("alone, it lists every walkthrough with its summary") {
    val ran = kontrast()
    ran.code shouldBe 0
    ran.out shouldContain "Usage: kontrast"
    for ((name, summary) in listOf(
      "contrastive-loss" to "document 000: the margin contrastive loss",
      "siamese-mnist" to "document 001: a Siamese CNN trained on MNIST pairs",
      "siamese-mnist-java" to "document 001 from plain Java",
      "bench" to "document 001's training step: Kontrast's engine against",
    )) {
      ran.out.lines().any { it.trim().startsWith(name) && summary in it } shouldBe true
    }
    ran.out shouldContain "./kontrast NAME --help shows the options of one."
  }

  test("--help shows every option of siamese-mnist with its default, generated from the declarations") {
    val ran = kontrast("siamese-mnist", "--help")
    ran.code shouldBe 0
    ran.err shouldBe ""
    val lines = ran.out.lines()
    lines[0] shouldBe "Usage: kontrast siamese-mnist [OPTIONS]"
    lines[1] shouldBe "document 001: a Siamese CNN trained on MNIST pairs with the contrastive loss"
    // the shared training options first, then the walkthrough's own
    val declared = listOf(
      "--epochs=N", "--batch-size=N", "--train-limit=N", "--seed=N", "--quiet",
      "--data=DIR", "--out=DIR", "--min-accuracy=X", "--no-download", "--resume", "--help",
    )
    // each once, in the order declared
    val at = declared.map { opt -> lines.indexOfFirst { it.trimStart().startsWith(opt) || it.contains(", $opt") } }
    at.none { it < 0 } shouldBe true
    at shouldBe at.sorted()
    ran.out shouldContain "epochs to train (default 5)"
    ran.out shouldContain "where results go (default out/siamese-mnist)"
    ran.out shouldContain "(default 42)"
    ran.out shouldContain "no progress bar, only the epoch lines"
  }

  test("every walkthrough has generated help") {
    for (name in listOf("contrastive-loss", "siamese-mnist-java", "bench")) {
      val ran = kontrast(name, "--help")
      ran.code shouldBe 0
      ran.out shouldStartWith "Usage: kontrast $name"
    }
    kontrast("bench", "-h").out shouldContain "--steps=N"
    kontrast("siamese-mnist-java", "--help").out shouldContain "--train-limit=N"
  }

  test("options reach the walkthrough converted to their types; the rest keep their defaults") {
    val w = parsed("siamese-mnist", "--epochs", "3", "--out=x/y", "--quiet", "--train-limit", "400", "--min-accuracy", "0.8", "--seed", "7", "--resume") as SiameseMnistWalkthrough
    w.training.epochs shouldBe 3
    w.out shouldBe Path.of("x/y")
    w.training.quiet shouldBe true
    w.training.trainLimit shouldBe 400
    w.minAccuracy shouldBe 0.8
    w.training.seed shouldBe 7L
    w.resume shouldBe true
    w.training.batchSize shouldBe 64
    w.data shouldBe null
    w.noDownload shouldBe false
    val fresh = parsed("siamese-mnist") as SiameseMnistWalkthrough
    fresh.training.epochs shouldBe 5
    fresh.training.trainLimit shouldBe null
    fresh.out shouldBe Path.of("out/siamese-mnist")

    val j = (parsed("siamese-mnist-java", "--epochs", "2", "--batch-size", "16", "--train-limit", "100", "--seed", "3", "--quiet") as SiameseMnistJavaWalkthrough).training
    listOf(j.epochs, j.batchSize, j.trainLimit) shouldBe listOf(2, 16, 100)
    j.seed shouldBe 3L
    j.quiet shouldBe true

    val b = parsed("bench", "--steps", "4", "--warmup", "0", "--batch-size", "8", "--out", "b") as BenchWalkthrough
    listOf(b.steps, b.warmup, b.batchSize) shouldBe listOf(4, 0, 8)
    b.out shouldBe Path.of("b")
  }

  test("a mistyped option ends with one line, picocli's suggestion and status 2") {
    val ran = kontrast("siamese-mnist", "--epoch", "1")
    ran.code shouldBe 2
    oneLine(ran) shouldStartWith "kontrast siamese-mnist: Unknown option"
    ran.err shouldContain "'--epoch'"
    ran.err shouldContain "did you mean --epochs?"

    val batch = kontrast("siamese-mnist", "--batchsize=32")
    batch.code shouldBe 2
    oneLine(batch) shouldContain "did you mean --batch-size?"

    val java = kontrast("siamese-mnist-java", "--quite")
    java.code shouldBe 2
    oneLine(java) shouldContain "did you mean --quiet?"
  }

  test("a mistyped walkthrough name gets a suggestion too") {
    val ran = kontrast("siamese-mnsit")
    ran.code shouldBe 2
    oneLine(ran) shouldStartWith "kontrast: "
    ran.err shouldContain "'siamese-mnsit'"
    ran.err shouldContain "did you mean siamese-mnist"
  }

  test("bad values end with one line naming the option, the expectation and the value, and status 2") {
    fun bad(vararg args: String, message: String) {
      val ran = kontrast(*args)
      ran.code shouldBe 2
      oneLine(ran) shouldBe message
    }
    bad("siamese-mnist", "--epochs", "five", message = "kontrast siamese-mnist: Invalid value for option '--epochs': expected a whole number >= 1, got 'five'")
    bad("siamese-mnist", "--batch-size=0", message = "kontrast siamese-mnist: Invalid value for option '--batch-size': expected a whole number >= 1, got '0'")
    bad("siamese-mnist", "--seed", "-1", message = "kontrast siamese-mnist: Invalid value for option '--seed': expected a whole number >= 0, got '-1'")
    bad("siamese-mnist", "--min-accuracy", "1.5", message = "kontrast siamese-mnist: Invalid value for option '--min-accuracy': expected a number from 0 to 1, got '1.5'")
    bad("bench", "--warmup", "-2", message = "kontrast bench: Invalid value for option '--warmup': expected a whole number >= 0, got '-2'")
    bad("siamese-mnist-java", "--train-limit", "0", message = "kontrast siamese-mnist-java: Invalid value for option '--train-limit': expected a whole number >= 1, got '0'")
    bad("siamese-mnist", "--out", message = "kontrast siamese-mnist: Missing required parameter for option '--out' (DIR)")
  }

  test("a corrupt data file ends with its one-line message and status 1") {
    val data = Files.createTempDirectory("bad-mnist")
    for (name in listOf("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.write(data.resolve(name), ByteArray(10) { 7 })
    }
    val ran = kontrast("siamese-mnist", "--data", data.toString(), "--out", Files.createTempDirectory("out").toString(), "--no-download")
    ran.code shouldBe 1
    val line = ran.err.trim()
    ran.err.lines().filter { it.isNotBlank() } shouldContainExactly listOf(line)
    line shouldStartWith "kontrast siamese-mnist: "
    line shouldContain data.toString()
    line shouldNotContain "Exception"
  }

  test("--resume with no checkpoint in --out says so and ends with status 1, before loading anything") {
    val out = Files.createTempDirectory("out")
    val ran = kontrast("siamese-mnist", "--resume", "--out", out.toString(), "--data", "/nonexistent-dir")
    ran.code shouldBe 1
    oneLine(ran) shouldBe "kontrast siamese-mnist: nothing to resume: ${out.resolve("checkpoint.ktck").toAbsolutePath()} does not exist (a run writes it after each epoch)"
  }
})
