package io.github.kontrast.dsl.engine

import org.bytedeco.javacpp.BytePointer
import org.tensorflow.internal.c_api.TF_Status
import org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName
import org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType
import org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode
import org.tensorflow.internal.c_api.global.tensorflow.TF_Message
import org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph
import org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession
import org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions
import org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus
import org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices
import org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig

/**
 * The devices TensorFlow sees, and the check that a [SessionConfig]'s GPU is among them.
 *
 * TF Java 1.1.0's `Session` does not list its devices, so [list] opens a session of its own on an
 * empty graph through the C API, with the same session options (a `visible_device_list` hides GPUs
 * there too), lists, and closes it.
 */
object Devices {
  /**
   * One device of a session.
   *
   * @property name TensorFlow's full name, e.g. "/job:localhost/replica:0/task:0/device:GPU:0".
   * @property type "CPU" or "GPU" (other accelerators by their own name).
   * @property memoryBytes memory TensorFlow may use on it (0 or the host's limit on the CPU).
   */
  class Device(val name: String, val type: String, val memoryBytes: Long) {
    override fun toString(): String = name
  }

  /** The devices a session created with [config] has. */
  @JvmStatic
  @JvmOverloads
  fun list(config: SessionConfig = SessionConfig.DEFAULT): List<Device> {
    org.tensorflow.TensorFlow.version() // loads and initialises the natives before the raw C calls
    val status = TF_NewStatus()
    val graph = TF_NewGraph()
    val options = TF_NewSessionOptions()
    try {
      val bytes = config.toConfigProto().toByteArray()
      if (bytes.isNotEmpty()) BytePointer(*bytes).use { TF_SetConfig(options, it, bytes.size.toLong(), status) }
      ok(status, "setting the session options")
      val session = TF_NewSession(graph, options, status)
      ok(status, "creating a session")
      try {
        val devices = TF_SessionListDevices(session, status)
        ok(status, "listing the session's devices")
        try {
          return (0 until TF_DeviceListCount(devices)).map { i ->
            Device(
              TF_DeviceListName(devices, i, status).string,
              TF_DeviceListType(devices, i, status).string,
              TF_DeviceListMemoryBytes(devices, i, status),
            ).also { ok(status, "reading device $i") }
          }
        } finally {
          TF_DeleteDeviceList(devices)
        }
      } finally {
        TF_CloseSession(session, status)
        TF_DeleteSession(session, status)
      }
    } finally {
      TF_DeleteSessionOptions(options)
      TF_DeleteGraph(graph)
      TF_DeleteStatus(status)
    }
  }

  /**
   * Checks that [config]'s GPU is one of [devices] (by default those TensorFlow lists for [config]):
   * nothing to check when [config] names no GPU. Missing, with soft placement off: a
   * [NoSuchDeviceException] that lists what was found and how to get a GPU; with soft placement on:
   * the warning to print (the model then runs on the CPU), else null.
   */
  @JvmStatic
  @JvmOverloads
  fun check(config: SessionConfig, devices: () -> List<Device> = { list(config) }): String? {
    val index = config.gpuIndex ?: return null
    val found = devices()
    val gpus = found.filter { it.type == "GPU" }
    if (gpus.any { it.name.endsWith("device:GPU:$index") }) return null
    val what = if (gpus.isEmpty()) "no GPU" else "only ${gpus.joinToString { it.name.substringAfterLast("device:") }}"
    val build = nativeBuild()
    val message = "device ${config.device}: TensorFlow found $what; it lists ${found.joinToString { it.name }}" +
      (build?.let { " (natives on the classpath: tensorflow-core-native $it)" } ?: "")
    if (config.softPlacement) return "$message. Soft placement is on: the model runs where it can, on the CPU."
    val rebuild = "build with the gpu profile (mvn -Pgpu, or KONTRAST_GPU=1 ./kontrast ...)"
    val host = "check the driver (nvidia-smi), the CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH, and CUDA_VISIBLE_DEVICES or visibleDevices" +
      " (TF_CPP_MIN_LOG_LEVEL=0 shows TensorFlow's own reason, e.g. \"Could not find cuda drivers\")"
    val hint = when (build) {
      "linux-x86_64" -> "These are the CPU natives, without GPU support: $rebuild."
      "linux-x86_64-gpu" -> "These natives support CUDA, so the host's set-up is missing: $host."
      else -> "With the CPU natives, $rebuild; with the GPU natives, $host."
    }
    throw NoSuchDeviceException("$message. $hint To run on the CPU instead, leave device unset or turn soft placement on.")
  }

  /** Which TensorFlow natives are on the classpath, by the resource folder of their jar; null if neither is found. */
  @JvmStatic
  fun nativeBuild(): String? = listOf("linux-x86_64-gpu", "linux-x86_64").firstOrNull {
    Devices::class.java.classLoader.getResource("org/tensorflow/internal/c_api/$it/") != null
  }

  private fun ok(status: TF_Status, doing: String) {
    val code = TF_GetCode(status)
    check(code == 0) { "TensorFlow failed $doing (code $code): ${TF_Message(status).string}" }
  }
}

/** A model asked for a device (a GPU) that TensorFlow does not have; the message lists what it has. */
class NoSuchDeviceException(message: String) : IllegalStateException(message)
