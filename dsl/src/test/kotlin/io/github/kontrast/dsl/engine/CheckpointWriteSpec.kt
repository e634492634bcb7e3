package io.github.kontrast.dsl.engine

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import java.io.IOException
import java.nio.channels.FileChannel
import java.nio.file.AccessDeniedException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name

/** Checkpoint files are written whole or not at all, and are forced to disk with their directory. */
class CheckpointWriteSpec : FunSpec({
  fun checkpoint(epoch: Int) = Checkpoint(
    step = 100L * epoch,
    epoch = epoch,
    values = linkedMapOf(
      "dense/kernel" to Checkpoint.Tensor(intArrayOf(2, 3), floatArrayOf(1f, -2f, 3.5f, Float.MIN_VALUE, -0f, 6e20f)),
      "dense/bias" to Checkpoint.Tensor(intArrayOf(3), floatArrayOf(0.1f, 0.2f, 0.3f)),
      "step_scalar" to Checkpoint.Tensor(IntArray(0), floatArrayOf(7f)),
    ),
  )

  fun entries(dir: Path) = dir.listDirectoryEntries().map { it.name }.sorted()

  test("a written checkpoint reads back exactly, and no temporary file stays beside it") {
    val dir = Files.createTempDirectory("ckpt")
    val path = dir.resolve("run").resolve("checkpoint.ktck")
    checkpoint(3).write(path)
    val back = Checkpoint.read(path)
    back.step shouldBe 300L
    back.epoch shouldBe 3
    back.values.keys.toList() shouldContainExactly listOf("dense/kernel", "dense/bias", "step_scalar")
    back.values.getValue("dense/kernel").shape.toList() shouldContainExactly listOf(2, 3)
    back.values.getValue("dense/kernel").data.map { it.toRawBits() } shouldContainExactly
      listOf(1f, -2f, 3.5f, Float.MIN_VALUE, -0f, 6e20f).map { it.toRawBits() }
    back.values.getValue("step_scalar").shape.size shouldBe 0
    // header 24 bytes; per variable: UTF name (2 + length), rank, dims, 4 bytes a value
    Files.size(path) shouldBe 24L + (2 + 12 + 4 + 8 + 24) + (2 + 10 + 4 + 4 + 12) + (2 + 11 + 4 + 0 + 4)
    entries(path.parent) shouldContainExactly listOf("checkpoint.ktck")
  }

  test("readCounters reads the step and epoch from the header alone") {
    val path = Files.createTempDirectory("ckpt").resolve("checkpoint.ktck")
    checkpoint(4).write(path)
    val counters = Checkpoint.readCounters(path)
    counters.step shouldBe 400L
    counters.epoch shouldBe 4
    counters.values.size shouldBe 0
    // a file cut right after the counters still gives them; one cut inside them does not
    Files.write(path, Files.readAllBytes(path).copyOf(20))
    Checkpoint.readCounters(path).epoch shouldBe 4
    Files.write(path, Files.readAllBytes(path).copyOf(19))
    shouldThrow<IllegalArgumentException> { Checkpoint.readCounters(path) }.message shouldBe "checkpoint '$path' is truncated"
  }

  test("a second write replaces the first whole") {
    val path = Files.createTempDirectory("ckpt").resolve("checkpoint.ktck")
    checkpoint(1).write(path)
    checkpoint(2).write(path)
    Checkpoint.read(path).epoch shouldBe 2
    entries(path.parent) shouldContainExactly listOf("checkpoint.ktck")
  }

  test("a write that fails half-way keeps the previous file and leaves no temporary one") {
    val path = Files.createTempDirectory("ckpt").resolve("checkpoint.ktck")
    checkpoint(1).write(path)
    shouldThrow<IOException> {
      Checkpoint.writeAtomically(path) { out ->
        out.write(ByteArray(1000) { 1 })
        throw IOException("disk full")
      }
    }.message shouldBe "disk full"
    Checkpoint.read(path).epoch shouldBe 1
    entries(path.parent) shouldContainExactly listOf("checkpoint.ktck")
  }

  test("forcing the directory works here, and a file system that refuses it is tolerated") {
    val dir = Files.createTempDirectory("ckpt")
    Checkpoint.forceDirectory(dir) shouldBe true
    var opened = 0
    Checkpoint.forceDirectory(dir) { opened++; throw AccessDeniedException(it.toString()) } shouldBe false
    opened shouldBe 1
    // one that opens the directory but refuses to force it (EINVAL on some file systems)
    Checkpoint.forceDirectory(dir) { p ->
      val real = FileChannel.open(p, StandardOpenOption.READ)
      object : FileChannel() {
        override fun force(metaData: Boolean) = throw IOException("Invalid argument")
        override fun read(dst: java.nio.ByteBuffer) = real.read(dst)
        override fun read(dsts: Array<out java.nio.ByteBuffer>, offset: Int, length: Int) = real.read(dsts, offset, length)
        override fun write(src: java.nio.ByteBuffer) = real.write(src)
        override fun write(srcs: Array<out java.nio.ByteBuffer>, offset: Int, length: Int) = real.write(srcs, offset, length)
        override fun position() = real.position()
        override fun position(newPosition: Long): FileChannel = apply { real.position(newPosition) }
        override fun size() = real.size()
        override fun truncate(size: Long): FileChannel = apply { real.truncate(size) }
        override fun transferTo(position: Long, count: Long, target: java.nio.channels.WritableByteChannel) = real.transferTo(position, count, target)
        override fun transferFrom(src: java.nio.channels.ReadableByteChannel, position: Long, count: Long) = real.transferFrom(src, position, count)
        override fun read(dst: java.nio.ByteBuffer, position: Long) = real.read(dst, position)
        override fun write(src: java.nio.ByteBuffer, position: Long) = real.write(src, position)
        override fun map(mode: MapMode, position: Long, size: Long) = real.map(mode, position, size)
        override fun lock(position: Long, size: Long, shared: Boolean) = real.lock(position, size, shared)
        override fun tryLock(position: Long, size: Long, shared: Boolean) = real.tryLock(position, size, shared)
        override fun implCloseChannel() = real.close()
      }
    } shouldBe false
  }

  test("a checkpoint cut short fails with a message naming the file") {
    val path = Files.createTempDirectory("ckpt").resolve("checkpoint.ktck")
    checkpoint(1).write(path)
    val bytes = Files.readAllBytes(path)
    Files.write(path, bytes.copyOf(bytes.size - 5))
    shouldThrow<IllegalArgumentException> { Checkpoint.read(path) }.message shouldBe "checkpoint '$path' is truncated"
  }
})
