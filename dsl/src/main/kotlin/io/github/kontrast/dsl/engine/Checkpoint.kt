package io.github.kontrast.dsl.engine

import java.io.BufferedInputStream
import java.io.BufferedOutputStream
import java.io.DataInputStream
import java.io.DataOutputStream
import java.io.EOFException
import java.io.IOException
import java.io.OutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.Channels
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.concurrent.locks.ReentrantLock

/**
 * Every variable of a model (weights, batch-norm statistics, optimizer slots) by path, plus the
 * counters that make a resumed run continue where it stopped: updates done and epochs done.
 *
 * The file is a small binary format of its own (magic "KTCK", version, counters, then per variable
 * its path, shape and float32 values, little-endian), written by [writeAtomically]: a crash, a
 * kill -9 or a power cut leaves either the previous checkpoint or the new one, never a mixture.
 *
 * @property step the number of updates done when it was taken (what the learning-rate schedule continues from).
 * @property epoch the number of epochs done when it was taken; a resumed fit starts with the next one.
 * @property values every variable's value, by variable path.
 */
class Checkpoint(val step: Long, val epoch: Int, val values: Map<String, Tensor>) {
  /**
   * One variable's value.
   *
   * @property shape the variable's shape, outermost dimension first.
   * @property data the values, row-major; as many as [shape] holds.
   */
  class Tensor(val shape: IntArray, val data: FloatArray) {
    init {
      require(data.size == shape.fold(1) { a, b -> a * b }) { "checkpoint tensor has ${data.size} values for shape ${shape.contentToString()}" }
    }
  }

  /** Writes atomically and durably to [path] (see [writeAtomically]). */
  fun write(path: Path) = writeAtomically(path) { stream ->
    val out = DataOutputStream(stream)
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
    out.flush()
  }

  companion object {
    private const val MAGIC = 0x4B54434B // "KTCK"
    private const val VERSION = 1

    /** One write at a time in this JVM, so that a shutdown hook can wait for the one under way ([holdWrites]). */
    private val writes = ReentrantLock()

    /**
     * Writes a file as durable stores do: [content] goes to a temporary file beside [path], which is
     * forced to disk, then renamed over [path]; then the directory is forced so that the rename
     * itself survives a power cut. A file system that cannot force a directory (some network and
     * FUSE ones, Windows) is tolerated: the rename is still atomic there. [content] may flush but
     * must not close the stream. Used for checkpoints and for the logs that go with them.
     */
    @JvmStatic
    fun writeAtomically(path: Path, content: (OutputStream) -> Unit) {
      writes.lock()
      try {
        val target = path.toAbsolutePath()
        val dir = target.parent
        Files.createDirectories(dir)
        val tmp = Files.createTempFile(dir, ".${target.fileName}", ".tmp")
        try {
          FileChannel.open(tmp, StandardOpenOption.WRITE).use { channel ->
            val out = BufferedOutputStream(Channels.newOutputStream(channel), 1 shl 16)
            content(out)
            out.flush()
            channel.force(true)
          }
          try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
          } catch (e: AtomicMoveNotSupportedException) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING)
          }
        } finally {
          Files.deleteIfExists(tmp)
        }
        forceDirectory(dir)
      } finally {
        writes.unlock()
      }
    }

    /**
     * Forces [dir]'s entries (a rename in it) to disk; false when the file system refuses
     * ([open] is a parameter so that tests can make it refuse).
     */
    internal fun forceDirectory(dir: Path, open: (Path) -> FileChannel = { FileChannel.open(it, StandardOpenOption.READ) }): Boolean =
      try {
        open(dir).use { it.force(true) }
        true
      } catch (e: IOException) {
        false
      }

    /**
     * For a shutdown hook (Ctrl-C): waits until a write under way has finished and keeps every later
     * one from starting, so the process ends with complete files and no temporary ones. Never
     * released: call it only when the JVM is going down.
     */
    @JvmStatic
    fun holdWrites() = writes.lock()

    /** Reads a checkpoint; a file that is not one, or is cut short, fails with a message naming the file. */
    @JvmStatic
    fun read(path: Path): Checkpoint = read(path, counterOnly = false)

    /**
     * The step and epoch counters of the checkpoint at [path], from its header alone (a Ctrl-C
     * handler says which epoch is saved without reading the weights); the values map is empty.
     */
    @JvmStatic
    fun readCounters(path: Path): Checkpoint = read(path, counterOnly = true)

    private fun read(path: Path, counterOnly: Boolean): Checkpoint {
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
          if (counterOnly) return Checkpoint(step, epoch, emptyMap())
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
