package io.github.kontrast.dsl.distributed

import java.io.Serializable
import java.net.InetAddress
import java.net.ServerSocket

/**
 * The workers of a data-parallel group and this process's place in it: [workers] are the
 * "host:port" addresses of every worker's TensorFlow server, index = rank, the same list on every
 * worker; [rank] is this process's index. Serializable, so that a Spark task can receive it.
 *
 * @property workers every worker's server address, "host:port", in rank order.
 * @property rank this process's index in [workers].
 */
data class ClusterSpec(val workers: List<String>, val rank: Int) : Serializable {
  init {
    require(workers.isNotEmpty()) { "workers: expected at least one \"host:port\", got none" }
    workers.forEach { w ->
      val port = w.substringAfterLast(':', "").toIntOrNull()
      require(w.contains(':') && w.substringBeforeLast(':').isNotEmpty() && port != null && port in 1..65535) {
        "workers: expected \"host:port\" addresses, got '$w'"
      }
    }
    require(workers.toSet().size == workers.size) { "workers: expected distinct addresses, got $workers" }
    require(rank in workers.indices) { "rank: expected 0..${workers.size - 1} for ${workers.size} workers, got $rank" }
  }

  /** The number of workers. */
  val size: Int get() = workers.size

  /** This process's address, `workers[rank]`. */
  val self: String get() = workers[rank]

  /** The same cluster seen from worker [rank]. */
  fun withRank(rank: Int): ClusterSpec = ClusterSpec(workers, rank)

  companion object {
    private const val serialVersionUID = 1L

    /** [size] workers on this machine's loopback at [ports]; rank [rank]. */
    @JvmStatic
    fun localhost(ports: List<Int>, rank: Int): ClusterSpec = ClusterSpec(ports.map { "localhost:$it" }, rank)

    /**
     * A TCP port free on this machine right now, for a server started soon after (another process
     * may take it in between; the server then fails to start, naming the address).
     */
    @JvmStatic
    fun freePort(): Int = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
  }
}
