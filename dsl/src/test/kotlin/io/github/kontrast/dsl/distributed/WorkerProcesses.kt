package io.github.kontrast.dsl.distributed

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Worker JVMs for the data-parallel specs: [size] processes running [mainClass] on this test's
 * class path, each given every worker's loopback port, its rank and [dir] (their `main(ports, rank,
 * dir)` writes its results there), each logging into [dir]/`logPrefix-rank.log`.
 */
object WorkerProcesses {
  /** Starts the workers, waits for all of them (at most [timeoutSeconds]) and returns [dir]; fails with a worker's log if one fails. */
  fun run(mainClass: Class<*>, dir: Path, logPrefix: String, size: Int = 2, timeoutSeconds: Long = 240): Path {
    val ports = List(size) { ClusterSpec.freePort() }
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    val processes = (0 until size).map { rank ->
      val cmd = mutableListOf(java, "-cp", System.getProperty("java.class.path"))
      System.getProperty("org.bytedeco.javacpp.cachedir")?.let { cmd += "-Dorg.bytedeco.javacpp.cachedir=$it" }
      cmd += listOf(mainClass.name, ports.joinToString(","), rank.toString(), dir.toString())
      ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(dir, logPrefix, rank).toFile())
        .also { it.environment()["TF_CPP_MIN_LOG_LEVEL"] = "2" }.start()
    }
    try {
      processes.forEachIndexed { rank, p ->
        check(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) { "worker $rank did not finish in $timeoutSeconds s; its log: ${tail(dir, logPrefix, rank)}" }
        check(p.exitValue() == 0) { "worker $rank exited with ${p.exitValue()}; its log: ${tail(dir, logPrefix, rank)}" }
      }
    } finally {
      processes.forEach { it.destroyForcibly() }
    }
    return dir
  }

  /**
   * For a worker's main, after it has written its results: waits until every worker of [cluster]
   * has, since a worker serves its buffers to the others until they are done with their last step,
   * then ends the process (the TensorFlow server cannot be shut down otherwise).
   */
  fun finish(cluster: ClusterSpec, dir: Path): Nothing {
    Files.writeString(dir.resolve("done-${cluster.rank}"), "")
    while ((0 until cluster.size).any { !Files.exists(dir.resolve("done-$it")) }) Thread.sleep(50)
    System.exit(0)
    throw IllegalStateException("unreachable: System.exit returned")
  }

  private fun log(dir: Path, prefix: String, rank: Int): Path = dir.resolve("$prefix-$rank.log")

  private fun tail(dir: Path, prefix: String, rank: Int) = log(dir, prefix, rank).let { if (Files.exists(it)) Files.readString(it).takeLast(4000) else "(none)" }
}
