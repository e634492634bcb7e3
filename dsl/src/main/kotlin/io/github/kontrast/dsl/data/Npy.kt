package io.github.kontrast.dsl.data

import java.io.BufferedInputStream
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path

/**
 * NumPy's .npy format (versions 1 to 3), for unsigned-byte arrays (dtype '|u1') in C order: what
 * Keras' mnist.npz holds. Other dtypes, Fortran order and inconsistent sizes fail with an
 * IOException that names the source and what is wrong, before the data is allocated.
 */
object Npy {
  private val MAGIC = byteArrayOf(0x93.toByte(), 'N'.code.toByte(), 'U'.code.toByte(), 'M'.code.toByte(), 'P'.code.toByte(), 'Y'.code.toByte())
  private const val MAX_HEADER = 1 shl 20
  private val DESCR = Regex("""['"]descr['"]\s*:\s*['"]([^'"]*)['"]""")
  private val FORTRAN = Regex("""['"]fortran_order['"]\s*:\s*(True|False)""")
  private val SHAPE = Regex("""['"]shape['"]\s*:\s*\(([^)]*)\)""")

  /** Reads a .npy file; its size is checked against the header before allocating. */
  @JvmStatic
  fun read(file: Path): UInt8Array {
    if (!Files.isRegularFile(file)) throw IOException("$file: no such file")
    return BufferedInputStream(Files.newInputStream(file), 1 shl 16).use { read(it, file.toString(), Files.size(file), lengthFromFileSystem = true) }
  }

  /**
   * Reads one .npy array from [input]. [source] names it in errors; [totalBytes], when known, is
   * the stream's whole length, checked against the header before allocating. Only a length that
   * comes from the file system is trusted for allocating at once ([lengthFromFileSystem]); a zip
   * entry's recorded size could lie, so its data is read into a buffer that grows as it arrives.
   */
  @JvmStatic
  @JvmOverloads
  fun read(input: InputStream, source: String, totalBytes: Long? = null, lengthFromFileSystem: Boolean = false): UInt8Array {
    val magic = BoundedRead.header(input, 8, source, "npy magic string and version")
    if (!magic.copyOfRange(0, 6).contentEquals(MAGIC)) {
      throw IOException("$source: wrong magic string ${magic.copyOfRange(0, 6).joinToString(" ") { "%02x".format(it) }}, expected \\x93NUMPY: not a .npy file")
    }
    val major = magic[6].toInt()
    val lengthBytes = when (major) {
      1 -> 2
      2, 3 -> 4
      else -> throw IOException("$source: unsupported .npy version $major.${magic[7]}, expected 1, 2 or 3")
    }
    val lenBuf = ByteBuffer.wrap(BoundedRead.header(input, lengthBytes, source, "npy header length")).order(ByteOrder.LITTLE_ENDIAN)
    val headerLength = if (lengthBytes == 2) lenBuf.short.toInt() and 0xFFFF else lenBuf.int
    if (headerLength < 0 || headerLength > MAX_HEADER) {
      throw IOException("$source: npy header length $headerLength is outside 0..$MAX_HEADER (corrupt file)")
    }
    val header = String(BoundedRead.header(input, headerLength, source, "npy header"), Charsets.ISO_8859_1)
    val descr = DESCR.find(header)?.groupValues?.get(1)
      ?: throw IOException("$source: the npy header has no 'descr': $header")
    if (descr !in setOf("|u1", "u1", "<u1", ">u1", "=u1")) {
      throw IOException("$source: dtype '$descr' is not supported, expected '|u1' (uint8)")
    }
    val fortran = FORTRAN.find(header)?.groupValues?.get(1)
      ?: throw IOException("$source: the npy header has no 'fortran_order': $header")
    val shapeText = SHAPE.find(header)?.groupValues?.get(1)
      ?: throw IOException("$source: the npy header has no 'shape': $header")
    val shape = shapeText.split(',').map { it.trim() }.filter { it.isNotEmpty() }.map {
      val d = it.removeSuffix("L").toLongOrNull() ?: throw IOException("$source: shape ($shapeText) has a non-integer dimension '$it'")
      if (d < 0 || d > Int.MAX_VALUE) throw IOException("$source: shape ($shapeText) has dimension $d outside 0..${Int.MAX_VALUE}")
      d.toInt()
    }.toIntArray()
    if (fortran == "True" && shape.count { it > 1 } > 1) {
      throw IOException("$source: Fortran-ordered arrays are not supported (shape ($shapeText))")
    }
    val claimed = shape.fold(1L) { a, b -> a * b }
    if (totalBytes != null) {
      val available = totalBytes - 8 - lengthBytes - headerLength
      if (claimed > available) {
        throw IOException(
          "$source: the header claims shape ($shapeText) = $claimed bytes but only $available bytes follow the header " +
            "(truncated file or wrong header)",
        )
      }
    }
    val data = BoundedRead.payload(input, claimed, source, "npy data", sizeChecked = totalBytes != null && lengthFromFileSystem)
    BoundedRead.expectEnd(input, source, "npy data")
    return UInt8Array(shape, data)
  }

  /** Writes [array] as a version 1.0 .npy (uint8, C order) to [out]; does not close it. */
  @JvmStatic
  fun write(out: OutputStream, array: UInt8Array) {
    val shape = when (array.shape.size) {
      0 -> "()"
      1 -> "(${array.shape[0]},)"
      else -> array.shape.joinToString(", ", "(", ")")
    }
    var dict = "{'descr': '|u1', 'fortran_order': False, 'shape': $shape, }"
    // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary
    val unpadded = 10 + dict.length + 1
    dict += " ".repeat((64 - unpadded % 64) % 64) + "\n"
    out.write(MAGIC)
    out.write(byteArrayOf(1, 0))
    out.write(byteArrayOf((dict.length and 0xFF).toByte(), (dict.length ushr 8).toByte()))
    out.write(dict.toByteArray(Charsets.ISO_8859_1))
    out.write(array.data)
  }
}
