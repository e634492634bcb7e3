package io.github.kontrast.dsl.data

import java.io.EOFException
import java.io.IOException
import java.io.InputStream

/** Reading what a file header claims without trusting the claim. */
internal object BoundedRead {
  /** Largest array the JVM reliably allocates. */
  const val MAX_ARRAY = Int.MAX_VALUE - 16

  /** Exactly [n] bytes of a header, or an IOException saying the file ends inside its header. */
  fun header(input: InputStream, n: Int, source: String, what: String): ByteArray {
    val out = ByteArray(n)
    var filled = 0
    while (filled < n) {
      val r = input.read(out, filled, n - filled)
      if (r < 0) throw IOException("$source: truncated: the file ends after $filled bytes, inside the $what ($n bytes)")
      filled += r
    }
    return out
  }

  /**
   * The [claimed] payload bytes. The buffer grows with the data actually read (doubling from 1 MiB),
   * so a header that claims more than the stream holds costs at most twice the real size in memory,
   * never the claimed size; it fails with an IOException naming [source]. With [sizeChecked] (the
   * caller compared the claim with the file's length) the buffer is allocated at once.
   */
  fun payload(input: InputStream, claimed: Long, source: String, what: String, sizeChecked: Boolean = false): ByteArray {
    if (claimed < 0 || claimed > MAX_ARRAY) {
      throw IOException("$source: the header claims $claimed bytes of $what, more than one array can hold ($MAX_ARRAY)")
    }
    val n = claimed.toInt()
    var buf = ByteArray(if (sizeChecked) n else minOf(n, 1 shl 20))
    var filled = 0
    try {
      while (filled < n) {
        if (filled == buf.size) buf = buf.copyOf(minOf(n.toLong(), buf.size * 2L).toInt())
        val r = input.read(buf, filled, buf.size - filled)
        if (r < 0) {
          throw IOException(
            "$source: the header claims $n bytes of $what but the data ends after $filled bytes (truncated file or wrong header)",
          )
        }
        filled += r
      }
    } catch (e: EOFException) {
      // GZIPInputStream reports a cut-off stream this way
      throw IOException("$source: truncated compressed data after $filled of $n bytes of $what (${e.message})", e)
    }
    return buf
  }

  /** Fails when [input] has data left after what the header described. */
  fun expectEnd(input: InputStream, source: String, what: String) {
    if (input.read() >= 0) throw IOException("$source: there is data after the $what the header describes (wrong header?)")
  }
}
