package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.pipeline.TwoViewData
import io.github.kontrast.dsl.simclr
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.Properties

class SessionConfigSpec : FunSpec({
  fun hex(bytes: ByteArray) = bytes.joinToString(" ") { "%02x".format(it) }

  // ConfigProto (tensorflow/core/protobuf/config.proto): gpu_options = 6 (message),
  // allow_soft_placement = 7, log_device_placement = 8 (bools); GPUOptions: allow_growth = 4 (bool),
  // visible_device_list = 5 (string). Tag byte = field << 3 | wire type (0 varint, 2 length-delimited).
  test("the ConfigProto's bytes, derived by hand from the protobuf field numbers") {
    hex(SessionConfig.DEFAULT.toConfigProto().toByteArray()) shouldBe ""
    // 0x32 = 6 << 3 | 2, length 2, then 0x20 = 4 << 3 | 0, true
    hex(SessionConfig.DEFAULT.withAllowGrowth(true).toConfigProto().toByteArray()) shouldBe "32 02 20 01"
    // 0x38 = 7 << 3, 0x40 = 8 << 3
    hex(SessionConfig.DEFAULT.withSoftPlacement(true).withLogPlacement(true).toConfigProto().toByteArray()) shouldBe "38 01 40 01"
    // gpu_options of 7 bytes: allow_growth, then 0x2a = 5 << 3 | 2, length 3, "0,1"
    hex(JavaSessionUsage.allOptions().toConfigProto().toByteArray()) shouldBe "32 07 20 01 2a 03 30 2c 31 38 01 40 01"
    // the device is placement in the graph, not a session option
    hex(SessionConfig.DEFAULT.withDevice("/GPU:0").toConfigProto().toByteArray()) shouldBe ""
  }

  test("devices are parsed strictly; indices must be distinct and >= 0") {
    SessionConfig.DEFAULT.withDevice("/GPU:1").gpuIndex shouldBe 1
    SessionConfig.DEFAULT.withDevice("/device:gpu:0").canonicalDevice shouldBe "/device:GPU:0"
    SessionConfig.DEFAULT.withDevice("/CPU:0").gpuIndex shouldBe null
    shouldThrow<IllegalArgumentException> { SessionConfig.DEFAULT.withDevice("gpu0") }.message shouldContain "device: expected"
    shouldThrow<IllegalArgumentException> { SessionConfig.DEFAULT.withVisibleDevices(0, 0) }.message shouldContain "visibleDevices"
    shouldThrow<IllegalArgumentException> { SessionConfig.DEFAULT.withVisibleDevices(-1) }.message shouldContain "visibleDevices"
  }

  test("system properties: the kontrast launcher's way in") {
    val p = Properties()
    SessionConfig.fromProperties(p) shouldBe SessionConfig.DEFAULT
    p.setProperty(SessionConfig.DEVICE_PROPERTY, "/GPU:0")
    p.setProperty(SessionConfig.ALLOW_GROWTH_PROPERTY, "true")
    p.setProperty(SessionConfig.VISIBLE_DEVICES_PROPERTY, "0, 1")
    p.setProperty(SessionConfig.SOFT_PLACEMENT_PROPERTY, "TRUE")
    p.setProperty(SessionConfig.LOG_PLACEMENT_PROPERTY, "true")
    SessionConfig.fromProperties(p) shouldBe JavaSessionUsage.allOptions()
    p.setProperty(SessionConfig.ALLOW_GROWTH_PROPERTY, "yes")
    shouldThrow<IllegalArgumentException> { SessionConfig.fromProperties(p) }.message shouldContain "kontrast.gpu.allowGrowth"
    p.setProperty(SessionConfig.ALLOW_GROWTH_PROPERTY, "false")
    p.setProperty(SessionConfig.VISIBLE_DEVICES_PROPERTY, "first")
    shouldThrow<IllegalArgumentException> { SessionConfig.fromProperties(p) }.message shouldContain "kontrast.gpu.visibleDevices"
  }

  test("the DSL block and the Java calls build the same configuration") {
    val viaBlock = SessionConfigBuilder().apply {
      device = "/GPU:0"; allowGrowth = true; visibleDevices = listOf(0, 1); softPlacement = true; logPlacement = true
    }.build()
    viaBlock shouldBe JavaSessionUsage.allOptions()
    SessionConfigBuilder(viaBlock).apply { logPlacement = false }.build() shouldBe JavaSessionUsage.allOptions().withLogPlacement(false)
  }

  test("the check: a GPU that is listed passes, a missing one fails naming what was found, soft placement only warns") {
    val cpu = Devices.Device("/job:localhost/replica:0/task:0/device:CPU:0", "CPU", 0)
    val gpu0 = Devices.Device("/job:localhost/replica:0/task:0/device:GPU:0", "GPU", 1L shl 34)
    val gpu = SessionConfig.DEFAULT.withDevice("/GPU:0")
    Devices.check(gpu) { listOf(cpu, gpu0) } shouldBe null
    Devices.check(SessionConfig.DEFAULT) { error("no listing needed") } shouldBe null
    Devices.check(SessionConfig.DEFAULT.withDevice("/CPU:0")) { error("no listing needed") } shouldBe null
    val noGpu = shouldThrow<NoSuchDeviceException> { Devices.check(gpu) { listOf(cpu) } }.message!!
    noGpu shouldContain "device /GPU:0: TensorFlow found no GPU"
    noGpu shouldContain "device:CPU:0"
    when (Devices.nativeBuild()) {
      "linux-x86_64" -> noGpu shouldContain "These are the CPU natives, without GPU support: build with the gpu profile (mvn -Pgpu"
      "linux-x86_64-gpu" -> noGpu shouldContain "check the driver (nvidia-smi)"
    }
    shouldThrow<NoSuchDeviceException> { Devices.check(SessionConfig.DEFAULT.withDevice("/GPU:1")) { listOf(cpu, gpu0) } }.message shouldContain "found only GPU:0"
    Devices.check(gpu.withSoftPlacement(true)) { listOf(cpu) }!! shouldContain "Soft placement is on"
  }

  test("on this build: TensorFlow's own device list, and a GPU asked for fails at build time unless soft placement is on") {
    val devices = Devices.list()
    devices.map { it.type } shouldContain "CPU"
    if (Devices.nativeBuild() == "linux-x86_64") {
      // the CPU natives: no GPU, whatever the host has
      devices.none { it.type == "GPU" } shouldBe true
      val e = shouldThrow<NoSuchDeviceException> { JavaSessionUsage.simClr(TwoViewData.encoder(), SessionConfig.DEFAULT.withDevice("/GPU:0")) }
      e.message!! shouldContain "TensorFlow found no GPU"
      e.message!! shouldContain "natives on the classpath: tensorflow-core-native linux-x86_64"
      // soft placement: the same graph, its ops asked for /GPU:0, trains on the CPU
      JavaSessionUsage.simClr(TwoViewData.encoder(), SessionConfig.DEFAULT.withDevice("/GPU:0").withSoftPlacement(true)).use { m ->
        m.fit(TwoViewData.fixedViews(16, seed = 2), epochs = 1, batchSize = 8)["loss"].single().isFinite() shouldBe true
      }
    }
    simclr {
      input(*TwoViewData.SHAPE)
      encoder(TwoViewData.encoder())
      projector = mlp(16, 8)
      verbosity = Verbosity.SILENT
      session { device = "/CPU:0"; allowGrowth = true }
    }.use { m ->
      m.session shouldBe SessionConfig.DEFAULT.withDevice("/CPU:0").withAllowGrowth(true)
      m.fit(TwoViewData.fixedViews(16, seed = 2), epochs = 1, batchSize = 8)["loss"].single().isFinite() shouldBe true
    }
  }
})
