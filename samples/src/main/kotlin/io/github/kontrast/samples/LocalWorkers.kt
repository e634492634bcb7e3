package io.github.kontrast.samples

import io.github.kontrast.dsl.distributed.ClusterSpec
import java.nio.file.Files
import java.nio.file.Path

/**
 * `--workers N` on one machine: starts this same command line N times as worker processes, each
 * told its rank and every worker's loopback port, and waits for all of them. One process per
 * worker, because a TensorFlow server lives as long as its process. Worker 0 prints; the others
 * are silent unless they fail, when their output is shown. The other workers stay alive until
 * worker 0 has ended ([awaitRelease]): a worker serves its buffers to the others until they are
 * done with their last step.
 */
internal object LocalWorkers {
  /** Runs the workers; the exit status is worker 0's, or the first failing worker's. */
  fun launch(workers: Int): Int {
    val self = commandLine()
    val ports = List(workers) { ClusterSpec.freePort() }
    val processes = (0 until workers).map { rank ->
      val pb = ProcessBuilder(self + listOf("--worker-rank", rank.toString(), "--worker-ports", ports.joinToString(",")))
      if (rank == 0) pb.inheritIO() else pb.redirectErrorStream(true)
      pb.start()
    }
    // the other workers' output is read as it comes, so that a full pipe never blocks them
    val logs = arrayOfNulls<String>(workers)
    val readers = (1 until workers).map { rank ->
      Thread { logs[rank] = String(processes[rank].inputStream.readAllBytes()) }.apply { isDaemon = true; start() }
    }
    // Ctrl-C on the launcher ends the workers too
    Runtime.getRuntime().addShutdownHook(Thread { processes.forEach { it.destroy() } })
    val codes = IntArray(workers)
    codes[0] = processes[0].waitFor()
    processes.drop(1).forEach { it.outputStream.close() }
    for (rank in 1 until workers) codes[rank] = processes[rank].waitFor()
    readers.forEach { it.join() }
    codes.forEachIndexed { rank, code ->
      if (code != 0 && rank > 0) System.err.println("worker $rank exited with $code:\n${logs[rank]}")
    }
    return codes.firstOrNull { it != 0 } ?: 0
  }

  /**
   * This process's command line, to start it again. Linux's /proc/self/cmdline holds it whole;
   * `ProcessHandle.info().arguments()` comes back empty there once the class path is long.
   */
  private fun commandLine(): List<String> {
    val proc = Path.of("/proc/self/cmdline")
    if (Files.isReadable(proc)) return String(Files.readAllBytes(proc)).split('\u0000').filter { it.isNotEmpty() }
    val me = ProcessHandle.current().info()
    val command = me.command().orElseThrow { IllegalStateException("--workers: cannot read this process's command line to start the workers") }
    val arguments = me.arguments().orElseThrow { IllegalStateException("--workers: cannot read this process's arguments to start the workers") }
    return listOf(command) + arguments
  }

  /** For workers other than 0: blocks until the launcher closes this process's input, after worker 0 has ended; returns 0. */
  fun awaitRelease(): Int {
    System.`in`.readAllBytes()
    return 0
  }
}
