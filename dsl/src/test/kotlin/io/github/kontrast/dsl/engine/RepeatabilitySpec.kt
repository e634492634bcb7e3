package io.github.kontrast.dsl.engine

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The same seed gives the same run bit for bit in separate processes, not only within one JVM:
 * nothing may leak in from the process (hash orders, the time, a random seed drawn at start-up,
 * thread scheduling in TensorFlow). A fresh JVM started on the test classpath runs
 * [RepeatabilityRun] and must print what this JVM, which has run other specs before, computes.
 */
class RepeatabilitySpec : FunSpec({
  /** A child JVM printing the fingerprint of [seed] into a temporary file (a file, so that a hung child cannot block the reader). */
  fun launch(seed: Long): Pair<Process, Path> {
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    // Surefire puts the real classpath here; java.class.path may be only its booter jar (which works too)
    val classpath = System.getProperty("surefire.test.class.path")?.takeIf { it.isNotBlank() } ?: System.getProperty("java.class.path")
    val command = mutableListOf(java, "-cp", classpath)
    System.getProperty("org.bytedeco.javacpp.cachedir")?.let { command += "-Dorg.bytedeco.javacpp.cachedir=$it" }
    command += listOf(RepeatabilityRun::class.java.name, seed.toString())
    val out = Files.createTempFile("kontrast-repeat", ".txt")
    val builder = ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
    builder.environment()["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return builder.start() to out
  }

  fun fingerprintOf(child: Pair<Process, Path>): List<String> {
    val (process, out) = child
    val finished = process.waitFor(120, TimeUnit.SECONDS)
    if (!finished) process.destroyForcibly().waitFor()
    val lines = Files.readAllLines(out).also { Files.delete(out) }
    withClue("the child JVM (last lines: ${lines.takeLast(5)})") {
      finished shouldBe true
      process.exitValue() shouldBe 0
    }
    return lines.filter { it.startsWith(RepeatabilityRun.PREFIX) }.map { it.removePrefix(RepeatabilityRun.PREFIX) }
  }

  test("another JVM with the same seed gives this JVM's losses and embeddings bit for bit; another seed does not") {
    // the child starts before this JVM computes its own run, so the two overlap
    val child = launch(7)
    val here = RepeatabilityRun.fingerprint(7)
    val there = fingerprintOf(child)
    // 2 epochs of 128 pairs at batch 32: 8 losses, then 16 embeddings of 4 values
    here.size shouldBe 8 + 16 * 4
    there shouldBe here
    RepeatabilityRun.fingerprint(8) shouldNotBe here
  }
})
