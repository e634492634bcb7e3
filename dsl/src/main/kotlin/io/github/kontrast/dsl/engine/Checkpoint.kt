package io.github.kontrast.dsl.engine

import java.io.BufferedInputStream
import java.io.BufferedOutputStream
import java.io.DataInputStream
import java.io.DataOutputStream
import java.io.EOFException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/**
 * Every variable of a model (weights, batch-norm statistics, optimizer slots) by path, plus the
 * counters that make a resumed run continue where it stopped: updates done and epochs done.
 *
 * The file is a small binary format of its own (magic "KTCK", version, counters, then per variable
 * its path, shape and float32 values, little-endian), written to a temporary file beside the
 * target and moved over it, so a crash never leaves a half-written checkpoint.
 */
class Checkpoint(val step: Long, val epoch: Int, val values: Map<String, Tensor>) {
  /** One variable's value. */
  class Tensor(val shape: IntArray, val data: FloatArray) {
    init {
      require(data.size == shape.fold(1) { a, b -> a * b }) { "checkpoint tensor has ${data.size} values for shape ${shape.contentToString()}" }
    }
  }

  /** Writes atomically to [path]. */
  fun write(path: Path) {
    val target = path.toAbsolutePath()
    target.parent?.let { Files.createDirectories(it) }
    val tmp = Files.createTempFile(target.parent, ".${target.fileName}", ".tmp")
    try {
      DataOutputStream(BufferedOutputStream(Files.newOutputStream(tmp), 1 shl 16)).use { out ->
        out.writeInt(MAGIC)
        out.writeInt(VERSION)
        out.writeLong(step)
        out.writeInt(epoch)
        out.writeInt(values.size)
        for ((name, t) in values) {
          out.writeUTF(name)
          out.writeInt(t.shape.size)
          t.shape.forEach { out.writeInt(it) }
          val bytes = ByteBuffer.allocate(t.data.size * 4).order(ByteOrder.LITTLE_ENDIAN)
          bytes.asFloatBuffer().put(t.data)
          out.write(bytes.array())
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
      } catch (e: AtomicMoveNotSupportedException) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING)
      }
    } finally {
      Files.deleteIfExists(tmp)
    }
  }

  companion object {
    private const val MAGIC = 0x4B54434B // "KTCK"
    private const val VERSION = 1

    /** Reads a checkpoint; a file that is not one, or is cut short, fails with a message naming the file. */
    @JvmStatic
    fun read(path: Path): Checkpoint {
      require(Files.isRegularFile(path)) { "checkpoint '$path' does not exist or is not a file" }
      val size = Files.size(path)
      try {
        DataInputStream(BufferedInputStream(Files.newInputStream(path), 1 shl 16)).use { inp ->
          val magic = inp.readInt()
          require(magic == MAGIC) { "'$path' is not a Kontrast checkpoint (magic ${Integer.toHexString(magic)})" }
          val version = inp.readInt()
          require(version == VERSION) { "checkpoint '$path' has version $version, this library reads $VERSION" }
          val step = inp.readLong()
          val epoch = inp.readInt()
          val n = inp.readInt()
          require(n >= 0) { "checkpoint '$path' claims $n variables" }
          val values = LinkedHashMap<String, Tensor>()
          repeat(n) {
            val name = inp.readUTF()
            val rank = inp.readInt()
            require(rank in 0..8) { "checkpoint '$path': variable '$name' has rank $rank" }
            val shape = IntArray(rank) { inp.readInt() }
            val count = shape.fold(1L) { a, b -> a * b }
            require(shape.all { it >= 0 } && count * 4 <= size) {
              "checkpoint '$path': variable '$name' claims shape ${shape.contentToString()}, more than the file holds"
            }
            val bytes = ByteArray((count * 4).toInt())
            inp.readFully(bytes)
            val data = FloatArray(count.toInt())
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data)
            values[name] = Tensor(shape, data)
          }
          return Checkpoint(step, epoch, values)
        }
      } catch (e: EOFException) {
        throw IllegalArgumentException("checkpoint '$path' is truncated", e)
      }
    }
  }
}
