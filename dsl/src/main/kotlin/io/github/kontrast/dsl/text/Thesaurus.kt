package io.github.kontrast.dsl.text

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * Synonyms of a word, for [SynonymReplacement]. A synonym may have several words ("big cat").
 * Lookups are by the lower-case word; implementations may be used from several threads.
 */
fun interface Thesaurus {
  /** The synonyms of [word] (lower case), without the word itself; empty when there are none. */
  fun synonyms(word: String): List<String>

  companion object {
    /** Where Debian's and Ubuntu's `mythes-en-us` package puts the English thesaurus. */
    @JvmStatic
    val mythesEnUs: Path get() = Paths.get("/usr/share/mythes/th_en_US_v2.dat")

    /**
     * The English thesaurus of `mythes-en-us` (OpenOffice's MyThes format, WordNet's synonyms) when it
     * is installed (`apt-get install mythes-en-us`), else the small list shipped in the jar.
     */
    @JvmStatic
    fun default(): Thesaurus = if (Files.isRegularFile(mythesEnUs)) mythes(mythesEnUs) else shipped()

    /** A MyThes thesaurus: [dat] and the .idx beside it. */
    @JvmStatic
    fun mythes(dat: Path): Thesaurus = MythesThesaurus(dat)

    /**
     * The list shipped in the jar: a few hundred common words of captions (faces, animals, food,
     * places, colours, sizes, digits), one line each as `word|synonym|synonym...`.
     */
    @JvmStatic
    fun shipped(): Thesaurus {
      val stream = Thesaurus::class.java.getResourceAsStream(SHIPPED_LIST) ?: throw IllegalStateException("the jar lacks $SHIPPED_LIST")
      return of(stream.bufferedReader(StandardCharsets.UTF_8).use { it.readLines() }, SHIPPED_LIST)
    }

    /** A thesaurus from lines `word|synonym|synonym...` (blank lines and lines starting with '#' skipped). */
    @JvmStatic
    @JvmOverloads
    fun of(lines: List<String>, source: String = "the given lines"): Thesaurus {
      val map = HashMap<String, List<String>>()
      lines.forEachIndexed { n, raw ->
        val line = raw.trim()
        if (line.isEmpty() || line.startsWith("#")) return@forEachIndexed
        val parts = line.split('|').map { it.trim().lowercase() }
        require(parts.size >= 2 && parts.all { it.isNotEmpty() }) { "$source line ${n + 1}: expected 'word|synonym...', got '$raw'" }
        val word = parts[0]
        map[word] = ((map[word] ?: emptyList()) + parts.drop(1).filter { it != word }).distinct()
      }
      return Thesaurus { map[it.lowercase()] ?: emptyList() }
    }
  }
}

private const val SHIPPED_LIST = "/io/github/kontrast/text/synonyms.txt"
