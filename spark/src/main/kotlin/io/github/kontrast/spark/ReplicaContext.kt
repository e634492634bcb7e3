package io.github.kontrast.spark

import io.github.kontrast.dsl.distributed.ClusterSpec
import java.io.Serializable

/**
 * What one barrier task knows about the gang it belongs to: the address of every task's TF server
 * by rank, and its own rank. Every task of a launch sees the same [workers], in the same order
 * (rank = the task's partition), so each can build the same cluster definition.
 *
 * @property workers `host:port` of each task, index = rank; the port is one the task found free.
 * @property rank this task's rank, 0 to `workers.size - 1` (its partition).
 * @property stageAttempt Spark's attempt number of the barrier stage: 0 first, higher after a restart of the gang.
 * @property gpus the GPUs Spark assigned to this task (their addresses, e.g. `"0"`), empty without
 *   GPU scheduling; give them to TensorFlow as its visible devices.
 */
class ReplicaContext @JvmOverloads constructor(
  val workers: List<String>,
  val rank: Int,
  val stageAttempt: Int,
  val gpus: List<String> = emptyList(),
) : Serializable {
  init {
    require(workers.isNotEmpty()) { "workers must not be empty" }
    require(rank in workers.indices) { "rank must be in 0..${workers.size - 1}, got $rank" }
  }

  /** Number of tasks in the gang. */
  val size: Int get() = workers.size

  /** This task's own `host:port`. */
  val address: String get() = workers[rank]

  /** The cluster as data-parallel training takes it ([io.github.kontrast.dsl.distributed.DataParallel]). */
  fun clusterSpec(): ClusterSpec = ClusterSpec(workers, rank)

  /** The port this task may bind its server to. */
  val port: Int get() = address.substringAfterLast(':').toInt()

  override fun toString() = "ReplicaContext(rank $rank of $size, $workers, attempt $stageAttempt, gpus $gpus)"

  override fun equals(other: Any?) =
    other is ReplicaContext && other.workers == workers && other.rank == rank && other.stageAttempt == stageAttempt && other.gpus == gpus

  override fun hashCode() = ((workers.hashCode() * 31 + rank) * 31 + stageAttempt) * 31 + gpus.hashCode()

  private companion object {
    private const val serialVersionUID = 1L
  }
}
