package io.github.kontrast.dsl.text

import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.charset.Charset
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.util.concurrent.ConcurrentHashMap

/**
 * A thesaurus in OpenOffice's MyThes format, as Debian's `mythes-en-us` installs it:
 *
 * - the .idx file: the encoding on the first line, the entry count on the second, then one
 *   `word|byte offset` line per entry, the offset pointing into the .dat file;
 * - the .dat file: the encoding on the first line, then per entry a line `word|number of meanings`
 *   followed by one line per meaning, `(part of speech)|term|term...`, where a term may carry a note
 *   in parentheses: "(generic term)", "(similar term)", "(related term)", "(antonym)".
 *
 * Synonyms are the terms without a note (a broader term or an antonym is not a synonym), from every
 * meaning, in order, lower case. The index is read once (145,866 entries for en_US); an entry is
 * read from the .dat file when first asked for and kept.
 *
 * @property dat the .dat file (e.g. th_en_US_v2.dat); the .idx file sits beside it.
 */
class MythesThesaurus(val dat: Path) : Thesaurus {
  /** The .idx file: [dat]'s name with .idx for .dat, in the same folder. */
  val idx: Path = dat.resolveSibling(dat.fileName.toString().removeSuffix(".dat") + ".idx")
  private val charset: Charset
  private val offsets: Map<String, Long>
  private val cache = ConcurrentHashMap<String, List<String>>()

  init {
    require(Files.isRegularFile(dat)) { "thesaurus data file $dat does not exist" }
    require(Files.isRegularFile(idx)) { "thesaurus index file $idx (beside $dat) does not exist" }
    val raw = Files.readAllBytes(idx)
    val firstLineEnd = raw.indexOf('\n'.code.toByte()).also { require(it > 0) { "$idx: no encoding line" } }
    charset = charsetOf(String(raw, 0, firstLineEnd, Charsets.US_ASCII).trim(), idx)
    val lines = String(raw, firstLineEnd + 1, raw.size - firstLineEnd - 1, charset).split('\n')
    val count = lines[0].trim().toIntOrNull() ?: throw IllegalArgumentException("$idx line 2: expected the entry count, got '${lines[0]}'")
    val map = HashMap<String, Long>(count * 2)
    for (k in 1 until lines.size) {
      val line = lines[k].trimEnd('\r')
      if (line.isEmpty()) continue
      val bar = line.lastIndexOf('|')
      val offset = if (bar > 0) line.substring(bar + 1).toLongOrNull() else null
      require(offset != null && offset >= 0) { "$idx line ${k + 2}: expected 'word|offset', got '$line'" }
      map[line.substring(0, bar).lowercase()] = offset
    }
    require(map.size == count) { "$idx announces $count entries but lists ${map.size}" }
    offsets = map
  }

  /** Number of entries in the index. */
  val size: Int get() = offsets.size

  override fun synonyms(word: String): List<String> {
    val key = word.lowercase()
    val offset = offsets[key] ?: return emptyList()
    return cache.computeIfAbsent(key) { readEntry(it, offset) }
  }

  private fun readEntry(word: String, offset: Long): List<String> {
    FileChannel.open(dat, StandardOpenOption.READ).use { channel ->
      val reader = LineReader(channel, offset)
      val head = reader.line() ?: throw IllegalArgumentException("$dat: offset $offset of '$word' is past the end")
      val bar = head.lastIndexOf('|')
      val meanings = if (bar > 0) head.substring(bar + 1).trim().toIntOrNull() else null
      require(meanings != null && head.substring(0, bar).lowercase() == word) {
        "$dat at offset $offset: expected the entry 'word|meanings' of '$word', got '$head'"
      }
      val out = LinkedHashSet<String>()
      repeat(meanings) {
        val line = reader.line() ?: throw IllegalArgumentException("$dat: entry '$word' announces $meanings meanings, the file ends first")
        line.split('|').drop(1) // the part of speech comes first
          .map { it.trim() }
          .filter { it.isNotEmpty() && !it.endsWith(")") }
          .map { it.lowercase() }
          .filter { it != word }
          .forEach { out += it }
      }
      return out.toList()
    }
  }

  /** Reads lines of [charset] text from [start] with positional reads (the channel is not shared). */
  private inner class LineReader(private val channel: FileChannel, start: Long) {
    private var position = start
    private val buffer = ByteBuffer.allocate(4096)
    private var pending = ByteArray(0)
    private var at = 0

    fun line(): String? {
      val out = ByteArrayOutputStream()
      while (true) {
        while (at < pending.size) {
          val b = pending[at++]
          if (b == '\n'.code.toByte()) return String(out.toByteArray(), charset).trimEnd('\r')
          out.write(b.toInt())
        }
        buffer.clear()
        val n = channel.read(buffer, position)
        if (n <= 0) return if (out.size() > 0) String(out.toByteArray(), charset) else null
        position += n
        pending = buffer.array().copyOf(n)
        at = 0
      }
    }
  }

  override fun toString() = "MythesThesaurus($dat, $size entries)"

  private companion object {
    fun charsetOf(name: String, file: Path): Charset = try {
      Charset.forName(name)
    } catch (e: Exception) {
      throw IllegalArgumentException("$file: the first line must name an encoding, got '$name'", e)
    }
  }
}
