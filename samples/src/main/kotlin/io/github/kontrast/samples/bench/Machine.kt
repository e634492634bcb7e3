package io.github.kontrast.samples.bench

import org.tensorflow.TensorFlow
import java.nio.file.Files
import java.nio.file.Paths

/** The machine a benchmark ran on, in one line: CPU model, cores, memory, load, Java and TensorFlow versions. */
object Machine {
  fun describe(): String {
    val cpu = procLine("/proc/cpuinfo", "model name")?.substringAfter(":")?.trim() ?: System.getProperty("os.arch")
    val memKb = procLine("/proc/meminfo", "MemTotal:")?.substringAfter(":")?.trim()?.removeSuffix("kB")?.trim()?.toLongOrNull()
    val memory = memKb?.let { "%.1f GiB".format(it / (1024.0 * 1024)) } ?: "unknown memory"
    val load = runCatching { Files.readString(Paths.get("/proc/loadavg")).split(" ").take(3).joinToString(" ") }.getOrNull()
    return "$cpu, ${Runtime.getRuntime().availableProcessors()} cores, $memory" +
      (load?.let { ", load average $it" } ?: "") +
      ", ${System.getProperty("os.name")}, Java ${System.getProperty("java.version")}, TensorFlow ${TensorFlow.version()}"
  }

  private fun procLine(file: String, prefix: String): String? =
    runCatching { Files.readAllLines(Paths.get(file)).firstOrNull { it.startsWith(prefix) } }.getOrNull()
}
