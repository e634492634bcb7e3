package io.github.kontrast.dsl.engine

import org.tensorflow.DeviceSpec
import org.tensorflow.proto.ConfigProto
import org.tensorflow.proto.GPUOptions
import java.util.Properties

/**
 * How the TensorFlow session a model trains in is set up: where its ops go and how it treats GPUs.
 * Immutable; change it with the `withX` methods (Java) or `session { ... }` in a pipeline builder
 * (Kotlin, [SessionConfigBuilder]). [toConfigProto] is what the [Trainer]'s session gets.
 *
 * - [device]: the device every op of the model is placed on, "/GPU:0", "/GPU:1", "/CPU:0"; null
 *   (the default) leaves placement to TensorFlow, which takes the first GPU for every op with a
 *   GPU kernel when the build and the host have one, and the CPU otherwise.
 * - [allowGrowth]: allocate GPU memory as needed instead of (nearly) all of it at start, so that
 *   other processes (a PyTorch run for comparison, a second model) share the GPU.
 * - [visibleDevices]: the GPUs this process's TensorFlow uses, by CUDA index (like
 *   `CUDA_VISIBLE_DEVICES`, but per process and after start); "/GPU:0" is then the first listed.
 * - [softPlacement]: let ops without a kernel for [device] run on the CPU instead of failing. When
 *   [device] names a GPU and soft placement is off, the [Trainer] first lists the devices
 *   TensorFlow sees and fails with [NoSuchDeviceException] if that GPU is not among them, rather
 *   than training on the CPU unnoticed.
 * - [logPlacement]: TensorFlow logs the device of every op (on stderr, at session start and first run).
 *
 * @property device where the model's ops go; null: TensorFlow's choice.
 * @property allowGrowth grow GPU memory on demand (`gpu_options.allow_growth`).
 * @property visibleDevices CUDA indices of the GPUs used (`gpu_options.visible_device_list`); empty: all.
 * @property softPlacement fall back to the CPU for ops without a kernel on [device] (`allow_soft_placement`).
 * @property logPlacement log each op's device (`log_device_placement`).
 */
class SessionConfig private constructor(
  val device: String?,
  val allowGrowth: Boolean,
  val visibleDevices: List<Int>,
  val softPlacement: Boolean,
  val logPlacement: Boolean,
) {
  init {
    device?.let { parseDevice(it) }
    require(visibleDevices.all { it >= 0 } && visibleDevices.toSet().size == visibleDevices.size) {
      "visibleDevices: expected distinct CUDA indices >= 0, got $visibleDevices"
    }
  }

  /** Places every op on [device] ("/GPU:0", "/CPU:0", "/device:GPU:1"); null: TensorFlow's placement. */
  fun withDevice(device: String?): SessionConfig = SessionConfig(device, allowGrowth, visibleDevices, softPlacement, logPlacement)

  /** Grows GPU memory on demand instead of taking it all at start. */
  fun withAllowGrowth(allowGrowth: Boolean): SessionConfig = SessionConfig(device, allowGrowth, visibleDevices, softPlacement, logPlacement)

  /** Uses only these GPUs, by CUDA index; none: all. */
  fun withVisibleDevices(vararg cudaIndices: Int): SessionConfig =
    SessionConfig(device, allowGrowth, cudaIndices.toList(), softPlacement, logPlacement)

  /** Lets ops without a kernel on [device] run on the CPU (and skips the check that the GPU exists). */
  fun withSoftPlacement(softPlacement: Boolean): SessionConfig = SessionConfig(device, allowGrowth, visibleDevices, softPlacement, logPlacement)

  /** Logs every op's device. */
  fun withLogPlacement(logPlacement: Boolean): SessionConfig = SessionConfig(device, allowGrowth, visibleDevices, softPlacement, logPlacement)

  /** The GPU index [device] names, or null when it names the CPU or nothing. */
  val gpuIndex: Int? get() = device?.let { parseDevice(it) }?.takeIf { it.first == "GPU" }?.second

  /** [device] as TensorFlow writes it, "/device:GPU:0"; null when unset. */
  val canonicalDevice: String? get() = device?.let { parseDevice(it) }?.let { (type, index) -> "/device:$type:$index" }

  /** [device] as a TensorFlow device spec for `Ops.withDevice`; null when unset. */
  fun placement(): DeviceSpec? = device?.let { parseDevice(it) }?.let { (type, index) ->
    DeviceSpec.newBuilder().deviceType(if (type == "GPU") DeviceSpec.DeviceType.GPU else DeviceSpec.DeviceType.CPU).deviceIndex(index).build()
  }

  /** The session options TensorFlow reads; fields left at their defaults are not written. */
  fun toConfigProto(): ConfigProto {
    val b = ConfigProto.newBuilder()
    if (softPlacement) b.allowSoftPlacement = true
    if (logPlacement) b.logDevicePlacement = true
    if (allowGrowth || visibleDevices.isNotEmpty()) {
      val gpu = GPUOptions.newBuilder()
      if (allowGrowth) gpu.allowGrowth = true
      if (visibleDevices.isNotEmpty()) gpu.visibleDeviceList = visibleDevices.joinToString(",")
      b.setGpuOptions(gpu)
    }
    return b.build()
  }

  override fun equals(other: Any?): Boolean =
    other is SessionConfig && other.device == device && other.allowGrowth == allowGrowth &&
      other.visibleDevices == visibleDevices && other.softPlacement == softPlacement && other.logPlacement == logPlacement

  override fun hashCode(): Int = listOf(device, allowGrowth, visibleDevices, softPlacement, logPlacement).hashCode()

  override fun toString(): String =
    "SessionConfig(device=${device ?: "auto"}, allowGrowth=$allowGrowth, visibleDevices=$visibleDevices, softPlacement=$softPlacement, logPlacement=$logPlacement)"

  companion object {
    /** TensorFlow's defaults: its own placement, all GPU memory at start, every GPU, no soft placement, no log. */
    @JvmField
    val DEFAULT: SessionConfig = SessionConfig(null, false, emptyList(), false, false)

    /** System properties [fromProperties] reads; the `kontrast` launcher sets them for `KONTRAST_GPU=1`. */
    const val DEVICE_PROPERTY = "kontrast.device"

    /** "true": [allowGrowth]. */
    const val ALLOW_GROWTH_PROPERTY = "kontrast.gpu.allowGrowth"

    /** A comma-separated list of CUDA indices: [visibleDevices]. */
    const val VISIBLE_DEVICES_PROPERTY = "kontrast.gpu.visibleDevices"

    /** "true": [softPlacement]. */
    const val SOFT_PLACEMENT_PROPERTY = "kontrast.softPlacement"

    /** "true": [logPlacement]. */
    const val LOG_PLACEMENT_PROPERTY = "kontrast.logPlacement"

    /**
     * The configuration the `kontrast.*` system properties describe ([DEFAULT] where none is set):
     * what pipelines use when their builder sets none, so that `-Dkontrast.device=/GPU:0` (or
     * `KONTRAST_GPU=1 ./kontrast ...`) moves a sample to the GPU without changing its code.
     */
    @JvmStatic
    @JvmOverloads
    fun fromProperties(properties: Properties = System.getProperties()): SessionConfig {
      fun flag(name: String): Boolean = when (val v = properties.getProperty(name)?.trim()?.lowercase()) {
        null, "", "false" -> false
        "true" -> true
        else -> throw IllegalArgumentException("system property $name: expected true or false, got '$v'")
      }
      val visible = properties.getProperty(VISIBLE_DEVICES_PROPERTY)?.trim().orEmpty()
      val indices = if (visible.isEmpty()) emptyList() else visible.split(',').map {
        it.trim().toIntOrNull() ?: throw IllegalArgumentException("system property $VISIBLE_DEVICES_PROPERTY: expected CUDA indices like 0,1, got '$visible'")
      }
      val device = properties.getProperty(DEVICE_PROPERTY)?.trim()?.takeIf { it.isNotEmpty() }
      return SessionConfig(device, flag(ALLOW_GROWTH_PROPERTY), indices, flag(SOFT_PLACEMENT_PROPERTY), flag(LOG_PLACEMENT_PROPERTY))
    }

    private val DEVICE = Regex("^/?(?:device:)?(CPU|GPU):(\\d+)$", RegexOption.IGNORE_CASE)

    /** ("GPU", 0) for "/GPU:0"; an IllegalArgumentException naming the argument otherwise. */
    private fun parseDevice(device: String): Pair<String, Int> {
      val m = DEVICE.matchEntire(device.trim())
        ?: throw IllegalArgumentException("device: expected \"/GPU:<index>\" or \"/CPU:<index>\" (e.g. \"/GPU:0\"), got \"$device\"")
      return m.groupValues[1].uppercase() to m.groupValues[2].toInt()
    }
  }
}
