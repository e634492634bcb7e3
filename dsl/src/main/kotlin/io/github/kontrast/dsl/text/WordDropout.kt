package io.github.kontrast.dsl.text

import java.util.SplittableRandom

/**
 * Drops each word with probability [p] (document 004's word_dropout). Unlike the document's version
 * it never returns an empty text: when every word would go, one of them, drawn at random, stays, so
 * a caption always keeps something to match its image with.
 *
 * @property p probability that a word is dropped, in [0, 1).
 */
class WordDropout(val p: Double) : TextAugmentation {
  init {
    require(p >= 0.0 && p < 1.0) { "word dropout p must be in [0, 1), got $p" }
  }

  /** [words] with each dropped with probability [p], one kept when all would go; draws from [random]. */
  override fun apply(words: List<String>, random: SplittableRandom): List<String> {
    if (words.isEmpty()) return words
    val kept = words.filter { random.nextDouble() >= p }
    return kept.ifEmpty { listOf(words[random.nextInt(words.size)]) }
  }

  override fun toString() = "WordDropout($p)"
}
