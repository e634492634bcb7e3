package io.github.kontrast.samples.bench

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * One measurement in a process of its own, so that its peak RSS is its configuration's alone. The
 * process prints its figures, separated by spaces, as its last line.
 */
object ChildProcess {
  /** What a run gave: the last line's fields, or why there are none. */
  class Outcome(val fields: List<String>?, val failure: String?)

  /**
   * Runs [command] for at most [timeoutSeconds]; [fields] expected on its last line. A failed run
   * (a non-zero exit, a time-out, fewer fields) gives the reason instead: the first line naming an
   * exception or error (out of memory, say), else the last three lines.
   */
  fun run(command: List<String>, fields: Int, timeoutSeconds: Long): Outcome {
    val output = Files.createTempFile("kontrast-bench", ".txt")
    try {
      val process = ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start()
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor()
        return Outcome(null, "timed out after $timeoutSeconds s")
      }
      val lines = Files.readAllLines(output)
      val last = lines.lastOrNull { it.isNotBlank() }?.trim()?.split(Regex(" +"))
      if (process.exitValue() != 0 || last == null || last.size != fields) {
        val why = lines.firstOrNull { it.contains("Exception") || it.contains("Error") }?.trim()?.removePrefix("Exception in thread \"main\" ")
          ?: lines.takeLast(3).joinToString(" | ")
        return Outcome(null, "failed (exit ${process.exitValue()}): ${why.take(300)}")
      }
      return Outcome(last, null)
    } finally {
      Files.deleteIfExists(output)
    }
  }

  /** A JVM on this process's classpath and JavaCPP cache running [mainClass] with [args]. */
  fun java(mainClass: String, args: List<String>): List<String> {
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    // JavaCPP refuses allocations once the process holds more than twice -Xmx (its default
    // maxPhysicalBytes): the tensors here are native, so that limit is lifted, not the heap raised
    val command = mutableListOf(java, "-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0")
    System.getProperty("org.bytedeco.javacpp.cachedir")?.let { command += "-Dorg.bytedeco.javacpp.cachedir=$it" }
    command += listOf("-cp", System.getProperty("java.class.path"), mainClass)
    return command + args
  }
}
