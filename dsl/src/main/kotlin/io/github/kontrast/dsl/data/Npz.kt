package io.github.kontrast.dsl.data

import java.io.BufferedInputStream
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipException
import java.util.zip.ZipFile

/** NumPy's .npz archives (a zip of .npy files, stored or deflated), e.g. Keras' mnist.npz. */
object Npz {
  /** The arrays called [names] (without ".npy"); a missing one fails naming what the archive has. */
  @JvmStatic
  fun read(file: Path, names: List<String>): Map<String, UInt8Array> {
    if (!Files.isRegularFile(file)) throw IOException("$file: no such file")
    val zip = try {
      ZipFile(file.toFile())
    } catch (e: ZipException) {
      throw IOException("$file: not a readable .npz (zip) archive: ${e.message}", e)
    }
    return zip.use {
      val present = zip.entries().asSequence().map { it.name }.toList()
      names.associateWith { name ->
        val entry = zip.getEntry("$name.npy")
          ?: throw IOException("$file: the archive has no $name.npy; it has $present")
        val source = "$file!$name.npy"
        try {
          BufferedInputStream(zip.getInputStream(entry), 1 shl 16).use { input ->
            Npy.read(input, source, entry.size.takeIf { it >= 0 })
          }
        } catch (e: IOException) {
          if (e.message?.startsWith(source) == true) throw e
          throw IOException("$source: unreadable (${e.javaClass.simpleName}: ${e.message})", e)
        }
      }
    }
  }
}
