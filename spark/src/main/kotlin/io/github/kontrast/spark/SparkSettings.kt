package io.github.kontrast.spark

import org.apache.spark.SparkConf

/** The Spark settings that Kontrast's jobs rely on. */
object SparkSettings {
  /** How often the scheduler re-checks that a barrier stage has enough free slots. */
  const val BARRIER_CHECK_INTERVAL = "spark.scheduler.barrier.maxConcurrentTasksCheck.interval"

  /**
   * Sets, where [conf] does not set them already: the barrier slot check every second (Spark's
   * default is 15 s, which the first barrier job of an application then waits), and, for the
   * executors, the JavaCPP cache folder of this JVM (`org.bytedeco.javacpp.cachedir`) when it is set,
   * so that executors on this machine reuse the TensorFlow natives unpacked there.
   */
  @JvmStatic
  fun apply(conf: SparkConf): SparkConf {
    conf.setIfMissing(BARRIER_CHECK_INTERVAL, "1s")
    val cache = System.getProperty(JAVACPP_CACHE)
    if (cache != null) {
      val options = conf.get(EXECUTOR_OPTIONS, "")
      if (!options.contains(JAVACPP_CACHE)) conf.set(EXECUTOR_OPTIONS, "$options -D$JAVACPP_CACHE=$cache".trim())
    }
    return conf
  }

  private const val JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir"
  private const val EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions"
}
