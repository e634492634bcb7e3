package io.github.kontrast.dsl.text

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/**
 * Words and their ids. Id 0 is padding ([PAD]), id 1 an unknown word ([UNKNOWN]); the words follow
 * from id 2, the most frequent first (ties in alphabetical order, so the same captions always give
 * the same ids). Immutable.
 */
class Vocabulary private constructor(words: List<String>) {
  private val byId: List<String> = words.toList()
  private val ids: Map<String, Int> = byId.withIndex().associate { (i, w) -> w to i }

  init {
    require(byId.size >= 2 && byId[PAD_ID] == PAD && byId[UNKNOWN_ID] == UNKNOWN) {
      "a vocabulary starts with '$PAD' and '$UNKNOWN', got ${byId.take(2)}"
    }
    require(ids.size == byId.size) { "a vocabulary holds each word once; repeated: ${byId.groupingBy { it }.eachCount().filterValues { it > 1 }.keys}" }
    byId.forEachIndexed { i, w -> require(w.isNotEmpty() && w.none { it == '\n' || it == '\r' }) { "word $i must be non-empty and on one line, got '$w'" } }
  }

  /** Number of ids, the two special ones included: an embedding's input dimension. */
  val size: Int get() = byId.size

  /** The words in id order, [PAD] and [UNKNOWN] first. */
  val words: List<String> get() = byId

  /** Whether [word] has an id of its own (padding and the unknown marker do not count). */
  operator fun contains(word: String): Boolean = word in ids && word != PAD && word != UNKNOWN

  /** The id of [word], or [UNKNOWN_ID]. */
  fun id(word: String): Int = ids[word]?.takeIf { it >= FIRST_WORD_ID } ?: UNKNOWN_ID

  /** The word of [id] ([PAD] for 0, [UNKNOWN] for 1). */
  fun word(id: Int): String {
    require(id in byId.indices) { "word id must be in 0 until $size, got $id" }
    return byId[id]
  }

  /** One word per line, in id order (line n holds id n): the format [load] reads. Written atomically. */
  fun save(path: Path) {
    path.toAbsolutePath().parent?.let { Files.createDirectories(it) }
    val tmp = path.resolveSibling(".${path.fileName}.part")
    Files.write(tmp, byId, StandardCharsets.UTF_8)
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
  }

  override fun toString() = "Vocabulary($size ids: ${byId.take(8).joinToString(", ")}${if (size > 8) ", ..." else ""})"

  companion object {
    /** The padding marker, the word of id 0. */
    const val PAD = "<pad>"

    /** The marker of a word not in the vocabulary, the word of id 1. */
    const val UNKNOWN = "<unk>"

    /** The id of padding. */
    const val PAD_ID = 0

    /** The id of every word not in the vocabulary. */
    const val UNKNOWN_ID = 1
    private const val FIRST_WORD_ID = 2

    /**
     * The vocabulary of [texts] (each already split into words): the words seen at least
     * [minFrequency] times, at most [maxSize] ids in all (the two special ones included), the
     * most frequent kept.
     */
    @JvmStatic
    @JvmOverloads
    fun build(texts: Iterable<List<String>>, minFrequency: Int = 1, maxSize: Int = Int.MAX_VALUE): Vocabulary {
      require(minFrequency >= 1) { "minFrequency must be >= 1, got $minFrequency" }
      require(maxSize >= 2) { "maxSize must be >= 2 (padding and unknown), got $maxSize" }
      val counts = HashMap<String, Int>()
      texts.forEach { words -> words.forEach { counts.merge(it, 1, Int::plus) } }
      val kept = counts.entries
        .filter { it.value >= minFrequency && it.key != PAD && it.key != UNKNOWN }
        .sortedWith(compareByDescending<Map.Entry<String, Int>> { it.value }.thenBy { it.key })
        .take(maxSize - FIRST_WORD_ID)
        .map { it.key }
      return Vocabulary(listOf(PAD, UNKNOWN) + kept)
    }

    /** A vocabulary of exactly [words] (ids from 2 in this order). */
    @JvmStatic
    fun of(words: List<String>): Vocabulary = Vocabulary(listOf(PAD, UNKNOWN) + words)

    /** Reads what [save] wrote. */
    @JvmStatic
    fun load(path: Path): Vocabulary {
      require(Files.isRegularFile(path)) { "vocabulary file $path does not exist" }
      val lines = Files.readAllLines(path, StandardCharsets.UTF_8)
      require(lines.size >= 2 && lines[0] == PAD && lines[1] == UNKNOWN) {
        "vocabulary file $path must start with the lines '$PAD' and '$UNKNOWN', got ${lines.take(2)}"
      }
      return Vocabulary(lines)
    }
  }
}
