package io.github.kontrast.dsl.engine

/**
 * The receiver of `session { ... }` in a pipeline builder: [SessionConfig]'s settings as
 * properties, starting from [base].
 * ```
 * simclr {
 *   session { device = "/GPU:0"; allowGrowth = true }
 * }
 * ```
 */
class SessionConfigBuilder(base: SessionConfig = SessionConfig.DEFAULT) {
  /** See [SessionConfig.device]: "/GPU:0", "/CPU:0", or null for TensorFlow's placement. */
  var device: String? = base.device

  /** See [SessionConfig.allowGrowth]. */
  var allowGrowth: Boolean = base.allowGrowth

  /** See [SessionConfig.visibleDevices]: CUDA indices; empty: all GPUs. */
  var visibleDevices: List<Int> = base.visibleDevices

  /** See [SessionConfig.softPlacement]. */
  var softPlacement: Boolean = base.softPlacement

  /** See [SessionConfig.logPlacement]. */
  var logPlacement: Boolean = base.logPlacement

  /** The configuration set; an IllegalArgumentException for a malformed device or index. */
  fun build(): SessionConfig = SessionConfig.DEFAULT
    .withDevice(device)
    .withAllowGrowth(allowGrowth)
    .withVisibleDevices(*visibleDevices.toIntArray())
    .withSoftPlacement(softPlacement)
    .withLogPlacement(logPlacement)
}
