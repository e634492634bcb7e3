package io.github.kontrast.spark

import org.apache.spark.BarrierTaskContext
import org.apache.spark.SparkContext
import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.rdd.RDD
import scala.reflect.ClassTag
import scala.runtime.AbstractFunction1
import java.io.Serializable
import java.net.InetAddress
import java.net.ServerSocket
import scala.jdk.javaapi.CollectionConverters

/**
 * Starts a gang of tasks with Spark's barrier execution mode: one task per partition, all
 * scheduled at once or none. Each task finds a free port, `BarrierTaskContext.allGather` shares
 * every task's `host:port`, and each then runs the [ReplicaWorker] with the same [ReplicaContext]
 * (rank = partition) on its partition. A final `barrier()` keeps every task alive until all have
 * finished, so that no peer loses a partner (and the buffers it holds) in the middle of a
 * collective. If one task fails, Spark stops the others and retries the whole stage.
 *
 * The cluster needs as many free task slots as there are partitions (with
 * `spark.task.resource.gpu.amount=1`, one GPU each); see [SparkSettings] for the scheduler setting.
 */
object BarrierLauncher {
  /**
   * Runs [worker] once per partition of [data], all at once; returns the results by rank. The
   * number of partitions is the number of workers.
   */
  @JvmStatic
  fun <T, R> launch(data: RDD<T>, worker: ReplicaWorker<T, R>): List<R> {
    val tasks = data.partitions().size
    require(tasks >= 1) { "data must have at least one partition, got $tasks" }
    val anyTag: ClassTag<Any> = ClassTag.apply(Any::class.java)
    @Suppress("UNCHECKED_CAST")
    val gathered = data.barrier().mapPartitions(GangTask(worker), false, anyTag).collect() as Array<Any>
    val byRank = gathered.map { it as RankedResult<*> }.sortedBy { it.rank }
    check(byRank.map { it.rank } == (0 until tasks).toList()) { "expected one result per rank 0..${tasks - 1}, got ranks ${byRank.map { it.rank }}" }
    @Suppress("UNCHECKED_CAST")
    return byRank.map { it.value as R }
  }

  /** Runs [worker] on [workers] tasks whose partitions hold only their own rank. */
  @JvmStatic
  fun <R> launch(context: SparkContext, workers: Int, worker: ReplicaWorker<Int, R>): List<R> {
    require(workers >= 1) { "workers must be >= 1, got $workers" }
    val ranks = JavaSparkContext.fromSparkContext(context).parallelize((0 until workers).toList(), workers)
    return launch(ranks.rdd(), worker)
  }

  /** A local port that nothing listens on now; the task's server binds it soon after. */
  internal fun freePort(): Int = ServerSocket(0).use { it.localPort }

  /** Parses allGather's messages `"rank host:port"` into the addresses by rank, checking that every rank came once. */
  internal fun addressesByRank(messages: List<String>): List<String> {
    val parsed = messages.map { m ->
      val parts = m.split(' ')
      require(parts.size == 2) { "a barrier task announced '$m', expected 'rank host:port'" }
      parts[0].toInt() to parts[1]
    }.sortedBy { it.first }
    require(parsed.map { it.first } == messages.indices.toList()) { "barrier tasks announced ranks ${parsed.map { it.first }}, expected 0..${messages.size - 1}" }
    return parsed.map { it.second }
  }

  /** One task's result, tagged with its rank so the driver can order them. */
  private class RankedResult<R>(val rank: Int, val value: R) : Serializable

  /** The code every barrier task runs. */
  private class GangTask<T, R>(private val worker: ReplicaWorker<T, R>) :
    AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<Any>>(), Serializable {
    override fun apply(partition: scala.collection.Iterator<T>): scala.collection.Iterator<Any> {
      val task = BarrierTaskContext.get()
      val rank = task.partitionId()
      // the executor's host as the scheduler knows it, so that peers on other machines reach it
      val host = task.getTaskInfos().getOrNull(rank)?.address()?.substringBeforeLast(':')?.takeIf { it.isNotEmpty() }
        ?: InetAddress.getLocalHost().hostAddress
      val messages = task.allGather("$rank $host:${freePort()}").toList()
      val gpus = task.resourcesJMap()["gpu"]?.addresses()?.toList() ?: emptyList()
      val context = ReplicaContext(addressesByRank(messages), rank, task.stageAttemptNumber(), gpus)
      val result = worker.run(context, CollectionConverters.asJava(partition))
      task.barrier()
      return CollectionConverters.asScala(listOf<Any>(RankedResult(rank, result)).iterator())
    }
  }
}
