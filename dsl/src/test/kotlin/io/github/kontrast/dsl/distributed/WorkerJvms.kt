package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.engine.Checkpoint
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import kotlin.math.abs

/**
 * Worker processes for the data-parallel specs: a `main(ports, rank, dir)` started once per rank
 * in a JVM of its own, on free loopback ports, with this JVM's class path.
 */
object WorkerJvms {
  /**
   * Starts [workers] JVMs running [main] with the arguments "port,port,...", the rank and [dir];
   * waits for all (at most [timeoutSeconds]) and returns [dir]. A worker's output goes to
   * dir/worker-RANK.log, shown when it fails.
   */
  fun run(main: Class<*>, dir: Path, timeoutSeconds: Long = 240, workers: Int = 2): Path {
    val ports = List(workers) { ClusterSpec.freePort() }
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    val processes = (0 until workers).map { rank ->
      val cmd = mutableListOf(java, "-cp", System.getProperty("java.class.path"))
      System.getProperty("org.bytedeco.javacpp.cachedir")?.let { cmd += "-Dorg.bytedeco.javacpp.cachedir=$it" }
      cmd += listOf(main.name, ports.joinToString(","), rank.toString(), dir.toString())
      ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("worker-$rank.log").toFile())
        .also { it.environment()["TF_CPP_MIN_LOG_LEVEL"] = "2" }.start()
    }
    try {
      processes.forEachIndexed { rank, p ->
        check(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) { "worker $rank did not finish in $timeoutSeconds s; its log: ${log(dir, rank)}" }
        check(p.exitValue() == 0) { "worker $rank exited with ${p.exitValue()}; its log: ${log(dir, rank)}" }
      }
    } finally {
      processes.forEach { it.destroyForcibly() }
    }
    return dir
  }

  private fun log(dir: Path, rank: Int) = dir.resolve("worker-$rank.log").let { if (Files.exists(it)) Files.readString(it).takeLast(4000) else "(none)" }

  /**
   * The end of a worker's main: waits until every worker of [cluster] is done (a worker serves
   * its buffers to the others until their last step), then ends the process, which is the only
   * way to stop its TensorFlow server.
   */
  fun finish(cluster: ClusterSpec, dir: Path): Nothing {
    Files.writeString(dir.resolve("done-${cluster.rank}"), "")
    while ((0 until cluster.size).any { !Files.exists(dir.resolve("done-$it")) }) Thread.sleep(50)
    System.exit(0)
    throw IllegalStateException("unreachable: System.exit returned")
  }

  /** Fails unless [other] has [reference]'s variables, each within [tolerance] (absolute) everywhere. */
  fun assertSameVariables(what: String, reference: Checkpoint, other: Checkpoint, tolerance: Double = 1e-5) {
    if (other.values.keys != reference.values.keys) throw AssertionError("$what: variables ${other.values.keys}, expected ${reference.values.keys}")
    for ((path, t) in reference.values) {
      val theirs = other.values.getValue(path).data
      val worst = t.data.indices.maxOf { abs(t.data[it] - theirs[it]).toDouble() }
      if (worst >= tolerance) throw AssertionError("$what: '$path' differs by $worst")
    }
  }
}
