package io.github.kontrast.dsl.data

import java.io.IOException
import java.io.PrintStream
import java.net.HttpURLConnection
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.security.MessageDigest

/** Downloads a file and checks its SHA-256, as Keras' get_file does. */
object Download {
  /**
   * Fetches [url] (http, https or file) to [target] and checks that its SHA-256 is [sha256]. The
   * data goes to "[target].part" first and is renamed only when the hash matches, so [target] is
   * never a partial or wrong file. A wrong hash deletes the download and throws a
   * [ChecksumMismatchException] naming both hashes; a network failure throws the IOException of
   * the connection.
   */
  @JvmStatic
  @JvmOverloads
  fun fetch(
    url: URI,
    target: Path,
    sha256: String,
    log: PrintStream? = System.err,
    connectTimeoutMillis: Int = 15_000,
    readTimeoutMillis: Int = 60_000,
  ): Path {
    require(sha256.matches(Regex("[0-9a-fA-F]{64}"))) { "sha256 must be 64 hex digits, got '$sha256'" }
    target.toAbsolutePath().parent?.let { Files.createDirectories(it) }
    val part = target.resolveSibling("${target.fileName}.part")
    val digest = MessageDigest.getInstance("SHA-256")
    log?.println("Downloading $url to $target")
    val connection = url.toURL().openConnection().apply {
      connectTimeout = connectTimeoutMillis
      readTimeout = readTimeoutMillis
    }
    try {
      if (connection is HttpURLConnection && connection.responseCode != HttpURLConnection.HTTP_OK) {
        throw IOException("$url: HTTP ${connection.responseCode} ${connection.responseMessage ?: ""}".trimEnd())
      }
      var bytes = 0L
      connection.getInputStream().use { input ->
        Files.newOutputStream(part).use { out ->
          val buf = ByteArray(1 shl 16)
          while (true) {
            val r = input.read(buf)
            if (r < 0) break
            digest.update(buf, 0, r)
            out.write(buf, 0, r)
            bytes += r
          }
        }
      }
      val actual = hex(digest.digest())
      if (!actual.equals(sha256, ignoreCase = true)) {
        Files.deleteIfExists(part)
        throw ChecksumMismatchException(
          "$url: SHA-256 of the download ($bytes bytes) is $actual, expected ${sha256.lowercase()}; the download was deleted",
          expected = sha256.lowercase(),
          actual = actual,
        )
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
      return target
    } catch (e: IOException) {
      Files.deleteIfExists(part)
      throw e
    } finally {
      (connection as? HttpURLConnection)?.disconnect()
    }
  }

  /** The SHA-256 of [file] as 64 lower-case hex digits. */
  @JvmStatic
  fun sha256(file: Path): String {
    val digest = MessageDigest.getInstance("SHA-256")
    Files.newInputStream(file).use { input ->
      val buf = ByteArray(1 shl 16)
      while (true) {
        val r = input.read(buf)
        if (r < 0) break
        digest.update(buf, 0, r)
      }
    }
    return hex(digest.digest())
  }

  private fun hex(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }
}
