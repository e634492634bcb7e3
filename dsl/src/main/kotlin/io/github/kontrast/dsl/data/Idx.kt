package io.github.kontrast.dsl.data

import java.io.BufferedInputStream
import java.io.BufferedOutputStream
import java.io.DataOutputStream
import java.io.IOException
import java.io.InputStream
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPInputStream
import java.util.zip.GZIPOutputStream

/**
 * LeCun's IDX format (MNIST, Fashion-MNIST), plain or gzipped (detected from the content, not the
 * name). Only unsigned-byte data (type 0x08) is read: magic 0x00000801 for labels `[N]`,
 * 0x00000803 for images `[N, rows, cols]`. Bad files fail with an IOException that names the file
 * and what is wrong; a header claiming more data than the file holds is found before allocating
 * (plain files) or while reading (gzip), never by an OutOfMemoryError.
 */
object Idx {
  /** The magic number of an IDX label file: unsigned bytes, one dimension. */
  const val LABELS_MAGIC = 0x00000801
  /** The magic number of an IDX image file: unsigned bytes, three dimensions. */
  const val IMAGES_MAGIC = 0x00000803
  private const val UBYTE = 0x08

  /** Labels `[N]`; the file must have magic [LABELS_MAGIC]. */
  @JvmStatic
  fun readLabels(file: Path): UInt8Array = read(file, expectedDims = 1)

  /** Images `[N, rows, cols]`; the file must have magic [IMAGES_MAGIC]. */
  @JvmStatic
  fun readImages(file: Path): UInt8Array = read(file, expectedDims = 3)

  /** Any unsigned-byte IDX file, or only one with [expectedDims] dimensions when given. */
  @JvmStatic
  @JvmOverloads
  fun read(file: Path, expectedDims: Int? = null): UInt8Array {
    if (!Files.isRegularFile(file)) throw IOException("$file: no such file")
    return Files.newInputStream(file).use { read(it, file.toString(), Files.size(file), expectedDims) }
  }

  /**
   * Reads IDX from [input] (gzipped or not). [source] names it in errors; [totalBytes], the
   * stream's true length when known (from the file system), lets a plain file's header be checked
   * before allocating; without it the data is read into a buffer that grows as it arrives.
   */
  @JvmStatic
  @JvmOverloads
  fun read(input: InputStream, source: String, totalBytes: Long? = null, expectedDims: Int? = null): UInt8Array {
    val buffered = BufferedInputStream(input, 1 shl 16)
    buffered.mark(2)
    val gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b
    buffered.reset()
    val name = if (gzipped) "$source (gzip)" else source
    try {
      val stream = if (gzipped) GZIPInputStream(buffered, 1 shl 16) else buffered
      return readIdx(stream, name, if (gzipped) null else totalBytes, expectedDims)
    } catch (e: IOException) {
      // messages of our own name the source already; those of java.util.zip do not
      if (e.message?.startsWith(name) == true) throw e
      throw IOException("$name: unreadable (${e.javaClass.simpleName}: ${e.message})", e)
    }
  }

  private fun readIdx(input: InputStream, source: String, totalBytes: Long?, expectedDims: Int?): UInt8Array {
    val magic = BoundedRead.header(input, 4, source, "IDX magic number")
    val m = ByteBuffer.wrap(magic).int
    val dims = magic[3].toInt() and 0xFF
    val expectedMagic = expectedDims?.let { UBYTE shl 8 or it }
    if (magic[0].toInt() != 0 || magic[1].toInt() != 0 || magic[2].toInt() != UBYTE || dims == 0 ||
      (expectedMagic != null && m != expectedMagic)
    ) {
      val wanted = expectedMagic?.let { "0x%08X".format(it) } ?: "0x000008NN (unsigned bytes, NN dimensions)"
      throw IOException("$source: wrong magic number 0x%08X, expected %s: not an IDX %s file".format(m, wanted, kind(expectedDims)))
    }
    val header = ByteBuffer.wrap(BoundedRead.header(input, 4 * dims, source, "IDX header"))
    val shape = IntArray(dims) { header.int }
    shape.forEachIndexed { i, d ->
      if (d < 0) throw IOException("$source: dimension $i of the header is ${d.toUInt()}, too large (> 2^31-1)")
    }
    val claimed = shape.fold(1L) { a, b -> a * b }
    val headerBytes = 4L + 4L * dims
    if (totalBytes != null) {
      val available = totalBytes - headerBytes
      if (claimed > available) {
        throw IOException(
          "$source: the header claims ${shape.joinToString("x")} = $claimed bytes but the file holds only " +
            "$available bytes after its $headerBytes-byte header (truncated file or wrong header)",
        )
      }
    }
    val data = BoundedRead.payload(input, claimed, source, "IDX data", sizeChecked = totalBytes != null)
    BoundedRead.expectEnd(input, source, "IDX data")
    return UInt8Array(shape, data)
  }

  /** Writes [array] as IDX (gzipped when [file]'s name ends with .gz), through a temporary file. */
  @JvmStatic
  fun write(file: Path, array: UInt8Array) {
    require(array.shape.size in 1..255) { "array must have 1 to 255 dimensions, got ${array.shape.size}" }
    file.toAbsolutePath().parent?.let { Files.createDirectories(it) }
    val tmp = file.resolveSibling(".${file.fileName}.part")
    Files.newOutputStream(tmp).use { raw ->
      val sink = if (file.fileName.toString().endsWith(".gz")) GZIPOutputStream(raw, 1 shl 16) else BufferedOutputStream(raw, 1 shl 16)
      DataOutputStream(sink).use { out ->
        out.writeInt(UBYTE shl 8 or array.shape.size)
        array.shape.forEach { out.writeInt(it) }
        out.write(array.data)
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE)
  }

  private fun kind(dims: Int?): String = when (dims) {
    1 -> "labels"
    3 -> "images"
    else -> "unsigned-byte"
  }

}
