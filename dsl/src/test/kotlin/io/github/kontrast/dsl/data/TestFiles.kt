package io.github.kontrast.dsl.data

import java.io.ByteArrayOutputStream
import java.io.DataOutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPOutputStream
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/** Small data files written by the specs. */
object TestFiles {
  fun tempDir(prefix: String): Path = Files.createTempDirectory("kontrast-$prefix-")

  fun deleteTree(dir: Path) {
    if (!Files.exists(dir)) return
    Files.walk(dir).use { s -> s.sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) } }
  }

  /** IDX bytes with an arbitrary [magic], header [dims] and [payload] (may disagree on purpose). */
  fun idxBytes(magic: Int, dims: IntArray, payload: ByteArray): ByteArray {
    val bytes = ByteArrayOutputStream()
    DataOutputStream(bytes).use { out ->
      out.writeInt(magic)
      dims.forEach { out.writeInt(it) }
      out.write(payload)
    }
    return bytes.toByteArray()
  }

  fun gzip(bytes: ByteArray): ByteArray {
    val out = ByteArrayOutputStream()
    GZIPOutputStream(out).use { it.write(bytes) }
    return out.toByteArray()
  }

  /** [count] images of rows x cols where image i has every pixel equal to (i * 10 + 5) % 256. */
  fun images(count: Int, rows: Int = 28, cols: Int = 28): UInt8Array =
    UInt8Array(intArrayOf(count, rows, cols), ByteArray(count * rows * cols) { (((it / (rows * cols)) * 10 + 5) % 256).toByte() })

  fun labels(vararg values: Int): UInt8Array = UInt8Array(intArrayOf(values.size), ByteArray(values.size) { values[it].toByte() })

  /** A version 1.0 .npy with the header dict written out by hand, padded as NumPy pads it. */
  fun npy(dict: String, payload: ByteArray): ByteArray {
    val padded = dict + " ".repeat((64 - (10 + dict.length + 1) % 64) % 64) + "\n"
    return byteArrayOf(0x93.toByte()) + "NUMPY".toByteArray() + byteArrayOf(1, 0, padded.length.toByte(), 0) +
      padded.toByteArray() + payload
  }

  fun npyBytes(array: UInt8Array): ByteArray = ByteArrayOutputStream().also { Npy.write(it, array) }.toByteArray()

  /** An .npz (zip of .npy) with [arrays]; entries are deflated unless [stored]. */
  fun writeNpz(file: Path, arrays: Map<String, UInt8Array>, stored: Boolean = false) {
    Files.createDirectories(file.parent)
    ZipOutputStream(Files.newOutputStream(file)).use { zip ->
      arrays.forEach { (name, array) ->
        val bytes = npyBytes(array)
        val entry = ZipEntry("$name.npy")
        if (stored) {
          entry.method = ZipEntry.STORED
          entry.size = bytes.size.toLong()
          entry.compressedSize = bytes.size.toLong()
          entry.crc = java.util.zip.CRC32().also { it.update(bytes) }.value
        }
        zip.putNextEntry(entry)
        zip.write(bytes)
        zip.closeEntry()
      }
    }
  }

  /** A tiny MNIST-like set: [train] and [test] images whose labels cycle through 0..9. */
  fun mnistArrays(train: Int, test: Int): Map<String, UInt8Array> = mapOf(
    "x_train" to images(train),
    "y_train" to labels(*IntArray(train) { it % 10 }),
    "x_test" to images(test),
    "y_test" to labels(*IntArray(test) { (it + 3) % 10 }),
  )

  /** The four standard IDX files of [mnistArrays] in [dir], gzipped or not. */
  fun writeIdxSet(dir: Path, train: Int, test: Int, gz: Boolean = false) {
    val a = mnistArrays(train, test)
    val s = if (gz) ".gz" else ""
    Idx.write(dir.resolve("train-images-idx3-ubyte$s"), a.getValue("x_train"))
    Idx.write(dir.resolve("train-labels-idx1-ubyte$s"), a.getValue("y_train"))
    Idx.write(dir.resolve("t10k-images-idx3-ubyte$s"), a.getValue("x_test"))
    Idx.write(dir.resolve("t10k-labels-idx1-ubyte$s"), a.getValue("y_test"))
  }
}
