package io.github.kontrast.spark

import org.apache.spark.SparkConf
import org.apache.spark.sql.SparkSession
import java.nio.file.Files
import java.nio.file.Paths

/**
 * One `local-cluster[2,1,1024]` application for all specs of this module: a master and two
 * workers in this JVM, each worker with one executor in a JVM of its own (1 core, 1 GiB), so
 * closures, results and the TensorFlow natives really cross process boundaries. Started on first
 * use (about 10 s), stopped by Spark's shutdown hook.
 */
object LocalCluster {
  /** Executors, one task slot each. */
  const val EXECUTORS = 2

  /** The shared session. */
  val session: SparkSession by lazy { start() }

  private fun start(): SparkSession {
    val home = System.getenv("SPARK_HOME")
      ?: error("SPARK_HOME is not set: run the spark module's specs through Maven (its Surefire configuration sets it)")
    // a Spark distribution's marker: with it, the workers take SPARK_HOME/jars (empty here) plus extraClassPath
    Files.createDirectories(Paths.get(home, "jars"))
    Files.writeString(Paths.get(home, "RELEASE"), "Spark 3.5 (an empty home for local-cluster tests)\n")
    val conf = SparkSettings.apply(
      SparkConf()
        .setMaster("local-cluster[$EXECUTORS,1,1024]")
        .setAppName("kontrast-spark-specs")
        .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .set("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2")
        .set("spark.ui.enabled", "false")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.driver.host", "127.0.0.1"),
    )
    val session = SparkSession.builder().config(conf).getOrCreate()
    // a barrier job needs both slots at once: wait for the executor JVMs to register (slow on a loaded machine)
    val deadline = System.nanoTime() + 180_000_000_000L
    while (session.sparkContext().statusTracker().executorInfos.size < EXECUTORS + 1) {
      check(System.nanoTime() < deadline) { "local-cluster: the executors did not register within 180 s" }
      Thread.sleep(200)
    }
    return session
  }
}
