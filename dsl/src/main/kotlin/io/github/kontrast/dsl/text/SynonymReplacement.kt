package io.github.kontrast.dsl.text

import java.util.SplittableRandom
import java.util.concurrent.ConcurrentHashMap

/**
 * Replaces each word that has synonyms, with probability [p], by one of them drawn uniformly
 * (document 004's synonym_replacement, which left the lookup to "a synonym database like WordNet":
 * here [Thesaurus.default], WordNet's synonyms through Debian's mythes-en-us, or the shipped list).
 *
 * A synonym of several words is split by [words], so it enters the caption as the tokenizer would
 * have split it. With a [vocabulary] only synonyms whose words are all in it are used: a synonym
 * the text encoder has never seen would only become the unknown id. Look-ups are by the word as
 * the tokenizer produced it, so use a tokenizer that does not stem ([WordTokenizer.standard]).
 */
class SynonymReplacement @JvmOverloads constructor(
  /** Where the synonyms come from. */
  val thesaurus: Thesaurus,
  /** Probability that a word with synonyms is replaced, in [0, 1]. */
  val p: Double,
  /** Splits a synonym of several words (default [WordTokenizer.standard]). */
  val words: WordTokenizer = WordTokenizer.standard(),
  /** When set, only synonyms whose words are all in it are used; null: every synonym. */
  val vocabulary: Vocabulary? = null,
) : TextAugmentation {
  init {
    require(p in 0.0..1.0) { "synonym replacement p must be in [0, 1], got $p" }
  }

  // each word's usable synonyms, already split; filled as words are met
  private val cache = ConcurrentHashMap<String, List<List<String>>>()

  /** The synonyms [apply] may put in place of [word], each as words. */
  fun candidates(word: String): List<List<String>> = cache.computeIfAbsent(word) { w ->
    thesaurus.synonyms(w)
      .map { words.words(it) }
      .filter { s -> s.isNotEmpty() && s != listOf(w) && (vocabulary == null || s.all { it in vocabulary }) }
      .distinct()
  }

  /** [words] with each word that has usable synonyms replaced with probability [p]; one draw per word from [random]. */
  override fun apply(words: List<String>, random: SplittableRandom): List<String> {
    val out = ArrayList<String>(words.size)
    for (w in words) {
      // one draw per word, whether or not it has synonyms, so a word's fate does not shift the others'
      val u = random.nextDouble()
      val options = candidates(w)
      if (u < p && options.isNotEmpty()) out += options[random.nextInt(options.size)] else out += w
    }
    return out
  }

  override fun toString() = "SynonymReplacement($thesaurus, p=$p${if (vocabulary != null) ", within the vocabulary" else ""})"
}
