package io.github.kontrast.dsl.text

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.Properties

/**
 * Text to padded word ids: [words] splits (Lucene), [vocabulary] maps words to ids (unknown words
 * to [Vocabulary.UNKNOWN_ID]), and every text is cut or padded to [maxLength] ids with a mask that
 * marks the padding. The first [maxLength] words are kept. A text without words is all padding
 * (mask all 0); the text encoder's masked pooling then gives a zero vector for it.
 *
 * [fit] builds the vocabulary from training captions; [save] and [load] keep it beside an exported
 * text tower, so that a service encodes queries exactly as training did.
 *
 * @property words splits a text into words.
 * @property vocabulary maps words to ids.
 * @property maxLength ids per text, L: longer texts are cut, shorter ones padded.
 */
class Tokenizer(val words: WordTokenizer, val vocabulary: Vocabulary, val maxLength: Int) {
  init {
    require(maxLength >= 1) { "maxLength must be >= 1, got $maxLength" }
  }

  /** Number of ids: the input dimension of the text encoder's embedding. */
  val vocabularySize: Int get() = vocabulary.size

  /** The words of [text] (before the vocabulary: augmentations work on these). */
  fun split(text: String): List<String> = words.words(text)

  /** [texts] as ids and mask, [N, maxLength] each. */
  fun encode(texts: List<String>): TokenBatch = encodeWords(texts.map { split(it) })

  /** One text: [encode] of a list of one. */
  fun encode(text: String): TokenBatch = encode(listOf(text))

  /** Texts already split into words (after an augmentation), as ids and mask. */
  fun encodeWords(texts: List<List<String>>): TokenBatch {
    val n = texts.size
    val ids = IntArray(n * maxLength) // 0 = Vocabulary.PAD_ID
    val mask = FloatArray(n * maxLength)
    texts.forEachIndexed { i, ws ->
      val length = minOf(ws.size, maxLength)
      for (j in 0 until length) {
        ids[i * maxLength + j] = vocabulary.id(ws[j])
        mask[i * maxLength + j] = 1f
      }
    }
    return TokenBatch(IntHostArray(ids, intArrayOf(n, maxLength)), FloatHostArray(mask, intArrayOf(n, maxLength)))
  }

  /** The words of row `i` of [batch] up to the padding, joined by spaces (unknown words as "<unk>"). */
  fun decode(batch: TokenBatch, i: Int): String =
    (0 until batch.length(i)).joinToString(" ") { vocabulary.word(batch.tokens.data[i * batch.maxLength + it]) }

  /**
   * Writes [VOCABULARY_FILE] (one word per line, line n = id n) and [SETTINGS_FILE] (the word
   * tokenizer's name, the maximum length, the padding and unknown ids) into [directory].
   */
  fun save(directory: Path) {
    Files.createDirectories(directory)
    vocabulary.save(directory.resolve(VOCABULARY_FILE))
    val p = Properties()
    p["words"] = words.name
    p["maxLength"] = maxLength.toString()
    p["padId"] = Vocabulary.PAD_ID.toString()
    p["unknownId"] = Vocabulary.UNKNOWN_ID.toString()
    val tmp = directory.resolve(".$SETTINGS_FILE.part")
    Files.newBufferedWriter(tmp).use { p.store(it, "Kontrast tokenizer: split with the Lucene analyzer named 'words', ids from $VOCABULARY_FILE") }
    Files.move(tmp, directory.resolve(SETTINGS_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
  }

  override fun toString() = "Tokenizer(${words.name}, ${vocabulary.size} ids, maxLength $maxLength)"

  companion object {
    /** The vocabulary's file in a saved tokenizer's directory: one word per line, line n = id n. */
    const val VOCABULARY_FILE = "vocabulary.txt"

    /** The settings' file in a saved tokenizer's directory (Java properties). */
    const val SETTINGS_FILE = "tokenizer.properties"

    /**
     * A tokenizer whose vocabulary comes from [texts] (the training captions): words seen at least
     * [minFrequency] times, at most [maxSize] ids with padding and unknown.
     */
    @JvmStatic
    @JvmOverloads
    fun fit(
      texts: Iterable<String>,
      maxLength: Int,
      words: WordTokenizer = WordTokenizer.standard(),
      minFrequency: Int = 1,
      maxSize: Int = Int.MAX_VALUE,
    ): Tokenizer = Tokenizer(words, Vocabulary.build(texts.map { words.words(it) }, minFrequency, maxSize), maxLength)

    /** Reads what [save] wrote; [words] replaces the named word tokenizer (needed for a custom analyzer). */
    @JvmStatic
    @JvmOverloads
    fun load(directory: Path, words: WordTokenizer? = null): Tokenizer {
      val settings = directory.resolve(SETTINGS_FILE)
      require(Files.isRegularFile(settings)) { "tokenizer directory $directory has no $SETTINGS_FILE" }
      val p = Properties().apply { Files.newBufferedReader(settings).use { load(it) } }
      fun setting(key: String): String = p.getProperty(key) ?: throw IllegalArgumentException("$settings lacks '$key'")
      require(setting("padId") == Vocabulary.PAD_ID.toString() && setting("unknownId") == Vocabulary.UNKNOWN_ID.toString()) {
        "$settings: padId and unknownId must be ${Vocabulary.PAD_ID} and ${Vocabulary.UNKNOWN_ID}, got ${setting("padId")} and ${setting("unknownId")}"
      }
      val maxLength = setting("maxLength").toIntOrNull() ?: throw IllegalArgumentException("$settings: maxLength must be an integer, got '${setting("maxLength")}'")
      return Tokenizer(words ?: WordTokenizer.byName(setting("words")), Vocabulary.load(directory.resolve(VOCABULARY_FILE)), maxLength)
    }
  }
}
