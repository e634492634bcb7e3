package io.github.kontrast.dsl.distributed

import org.bytedeco.javacpp.BytePointer
import org.tensorflow.Graph
import org.tensorflow.Server
import org.tensorflow.Session
import org.tensorflow.internal.c_api.TF_Graph
import org.tensorflow.internal.c_api.TF_Session
import org.tensorflow.internal.c_api.TF_SessionOptions
import org.tensorflow.internal.c_api.TF_Status
import org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig
import org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget
import org.tensorflow.proto.ClusterDef
import org.tensorflow.proto.ConfigProto
import org.tensorflow.proto.JobDef
import org.tensorflow.proto.ServerDef

/**
 * This process's TensorFlow server (job "worker", protocol grpc), started once and kept until the
 * process ends: TF Java 1.1.0's `Server.close()` cannot shut a server down ("Clean shutdown is not
 * currently implemented"), so a process is one worker of one cluster for its whole life. Starting
 * it again with the same [ClusterSpec] returns the running one; another cluster is refused.
 *
 * Sessions are opened on the server's grpc target through the C API (`TF_SetTarget`), which TF
 * Java's public `Session` constructors do not expose. Worker 0 is the collective group leader, set
 * in the server's default session config as TensorFlow requires (set only on a session, every
 * worker believes it leads and the first collective hangs).
 */
object CollectiveServer {
  private var running: ClusterSpec? = null
  private var server: Server? = null

  /** The spec the running server was started with; null before [start]. */
  @JvmStatic
  val cluster: ClusterSpec? @Synchronized get() = running

  /**
   * Starts this process's server for [cluster] (a no-op when it runs already with the same spec).
   * Fails with an IllegalStateException when a server for another spec runs in this process.
   */
  @JvmStatic
  @Synchronized
  fun start(cluster: ClusterSpec) {
    running?.let { current ->
      check(current == cluster) {
        "this process already runs the TensorFlow server of $current and cannot start one for $cluster: a server lives as long as its process (one worker per process)"
      }
      return
    }
    val job = JobDef.newBuilder().setName(JOB)
    cluster.workers.forEachIndexed { i, w -> job.putTasks(i, w) }
    val def = ServerDef.newBuilder()
      .setCluster(ClusterDef.newBuilder().addJob(job))
      .setJobName(JOB)
      .setTaskIndex(cluster.rank)
      .setProtocol("grpc")
      .setDefaultSessionConfig(sessionConfig(cluster))
      .build()
    val s = try {
      Server(def).also { it.start() }
    } catch (e: RuntimeException) {
      throw IllegalStateException("could not start the TensorFlow server of worker ${cluster.rank} at ${cluster.self}: ${e.message}", e)
    }
    server = s
    running = cluster
  }

  /**
   * A Session on [graph] that runs on this process's server, so that the graph's collective ops
   * meet the other workers' ([start] first). Its devices are this worker's only.
   */
  @JvmStatic
  @Synchronized
  fun openSession(graph: Graph): Session {
    val cluster = checkNotNull(running) { "no TensorFlow server runs in this process: call CollectiveServer.start(cluster) first" }
    val handle = nativeGraph(graph)
    val status = TF_Status.newStatus()
    val options = TF_SessionOptions.newSessionOptions()
    TF_SetTarget(options, "grpc://${cluster.self}")
    val bytes = sessionConfig(cluster).toByteArray()
    TF_SetConfig(options, BytePointer(*bytes), bytes.size.toLong(), status)
    status.throwExceptionIfNotOK()
    val session = TF_Session.newSession(handle, options, status)
    status.throwExceptionIfNotOK()
    val constructor = Session::class.java.getDeclaredConstructor(Graph::class.java, TF_Session::class.java)
    constructor.isAccessible = true
    return constructor.newInstance(graph, session)
  }

  private fun sessionConfig(cluster: ClusterSpec): ConfigProto = ConfigProto.newBuilder()
    .addDeviceFilters("/job:$JOB/replica:0/task:${cluster.rank}")
    .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader("/job:$JOB/replica:0/task:0"))
    .build()

  /** The graph's C handle: TF Java keeps it package-private, and a session with a target needs it. */
  private fun nativeGraph(graph: Graph): TF_Graph {
    val ref = Graph::class.java.getDeclaredMethod("ref").apply { isAccessible = true }.invoke(graph)
    try {
      return ref.javaClass.getDeclaredMethod("nativeHandle").apply { isAccessible = true }.invoke(ref) as TF_Graph
    } finally {
      ref.javaClass.getDeclaredMethod("close").apply { isAccessible = true }.invoke(ref)
    }
  }

  private const val JOB = "worker"
}
