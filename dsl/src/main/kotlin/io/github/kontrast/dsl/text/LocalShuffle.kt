package io.github.kontrast.dsl.text

import java.util.SplittableRandom

/**
 * Shuffles words within a window of [window] positions: each word i gets the key i + u, u uniform
 * in [0, window), and the words are sorted by key (Lample et al. 2018's noise for unsupervised
 * translation). No word moves [window] or more places, and a window of 1 changes nothing.
 *
 * Document 004's word_shuffle swaps position i with a random one among the next k - 1 in a single
 * pass instead; a word swapped forward can be swapped again, so it may travel arbitrarily far. The
 * sort keeps the shuffle local, which is what "within a window" asks for.
 *
 * @property window the window in positions, >= 1: no word moves this many places or more; 1 changes nothing.
 */
class LocalShuffle(val window: Int) : TextAugmentation {
  init {
    require(window >= 1) { "shuffle window must be >= 1, got $window" }
  }

  /** [words] shuffled within the window, the keys' noise drawn from [random]. */
  override fun apply(words: List<String>, random: SplittableRandom): List<String> {
    if (window == 1 || words.size < 2) return words
    val keys = DoubleArray(words.size) { it + random.nextDouble() * window }
    return words.indices.sortedBy { keys[it] }.map { words[it] }
  }

  override fun toString() = "LocalShuffle($window)"
}
