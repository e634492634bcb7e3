package io.github.kontrast.dsl.text

import java.util.SplittableRandom

/**
 * A random change to a text's words that keeps its meaning (document 004's TextAugmentation). It
 * gets the words of one text and a generator of its own, so that a caller seeding one generator
 * per example gets the same augmented text for that example in every run, whatever the batch.
 * Implementations are immutable and may be called from several threads.
 */
fun interface TextAugmentation {
  /** The augmented words of one text ([words], already split), drawing only from [random], the text's own generator. */
  fun apply(words: List<String>, random: SplittableRandom): List<String>

  /** This augmentation, then [next] on its result (drawing from the same generator); printed as "this + next". */
  fun then(next: TextAugmentation): TextAugmentation {
    val first = this
    return object : TextAugmentation {
      override fun apply(words: List<String>, random: SplittableRandom): List<String> = next.apply(first.apply(words, random), random)

      override fun toString() = "$first + $next"
    }
  }

  companion object {
    /** Leaves the words as they are. */
    @JvmStatic
    fun identity(): TextAugmentation = IDENTITY

    private val IDENTITY: TextAugmentation = object : TextAugmentation {
      override fun apply(words: List<String>, random: SplittableRandom): List<String> = words

      override fun toString() = "identity"
    }

    /** [augmentations] in order. */
    @JvmStatic
    fun chain(vararg augmentations: TextAugmentation): TextAugmentation =
      if (augmentations.isEmpty()) identity() else augmentations.reduce { a, b -> a.then(b) }
  }
}
