package io.github.kontrast.dsl.text

import java.util.SplittableRandom

/**
 * Translates text from one language to another. Kontrast ships no translation model; plug in
 * your own (a service, a local model) to use [BackTranslation].
 */
fun interface Translator {
  /** [text] translated from language [source] to [target] (ISO 639-1 codes, e.g. "en", "de"). */
  fun translate(text: String, source: String, target: String): String
}

/**
 * Document 004's back_translation: the caption goes to the [pivot] language and back to [language]
 * through [translator], and the result is split into words again by [words]. Translation is
 * deterministic here, so [apply] draws nothing from the generator.
 */
class BackTranslation @JvmOverloads constructor(
  /** Does the translating, both ways. */
  val translator: Translator,
  /** The language the text passes through (an ISO 639-1 code, e.g. "de"). */
  val pivot: String,
  /** The text's own language (default "en"). */
  val language: String = "en",
  /** Splits the translated text into words again (default [WordTokenizer.standard]). */
  val words: WordTokenizer = WordTokenizer.standard(),
) : TextAugmentation {
  init {
    require(pivot.isNotBlank() && language.isNotBlank()) { "languages must be named, got pivot '$pivot' and language '$language'" }
    require(pivot != language) { "the pivot language must differ from the text's, both are '$pivot'" }
  }

  /** [words] joined by spaces, translated to [pivot] and back, split again; [random] is not used. */
  override fun apply(words: List<String>, random: SplittableRandom): List<String> {
    if (words.isEmpty()) return words
    val there = translator.translate(words.joinToString(" "), language, pivot)
    return this.words.words(translator.translate(there, pivot, language))
  }

  override fun toString() = "BackTranslation($language -> $pivot -> $language)"
}
