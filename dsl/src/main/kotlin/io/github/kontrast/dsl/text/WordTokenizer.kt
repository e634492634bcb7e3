package io.github.kontrast.dsl.text

import org.apache.lucene.analysis.Analyzer
import org.apache.lucene.analysis.CharArraySet
import org.apache.lucene.analysis.en.EnglishAnalyzer
import org.apache.lucene.analysis.standard.StandardAnalyzer
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute

/**
 * Splits text into words with a Lucene [Analyzer]: Unicode word boundaries (UAX #29), lower case,
 * and whatever else the analyzer's chain does (stop words, stemming). The [name] is written beside
 * a saved vocabulary so that the same splitting can be chosen again when it is loaded
 * ([byName] knows "standard" and "english"; a custom analyzer is passed back in by the caller).
 *
 * Lucene analyzers reuse their token streams per thread, so one tokenizer may be used from the
 * data-loading thread and the caller's at once.
 *
 * @property analyzer the Lucene analyzer that splits and normalises.
 * @property name one word naming the splitting, saved with a vocabulary ("standard", "english").
 */
class WordTokenizer(val analyzer: Analyzer, val name: String) {
  init {
    require(name.isNotBlank() && name.none { it.isWhitespace() }) { "tokenizer name must be one word, got '$name'" }
  }

  /** The words of [text], in order; empty for text without letters or digits. */
  fun words(text: String): List<String> {
    val out = ArrayList<String>()
    analyzer.tokenStream(FIELD, text).use { stream ->
      val term = stream.addAttribute(CharTermAttribute::class.java)
      stream.reset()
      while (stream.incrementToken()) out += term.toString()
      stream.end()
    }
    return out
  }

  override fun toString() = "WordTokenizer($name)"

  companion object {
    private const val FIELD = "text"

    /** Lucene's StandardAnalyzer without stop words: UAX #29 word boundaries, then lower case. */
    @JvmStatic
    fun standard(): WordTokenizer = WordTokenizer(StandardAnalyzer(CharArraySet.EMPTY_SET), "standard")

    /** Lucene's EnglishAnalyzer: standard splitting, English possessives and stop words removed, Porter stemming. */
    @JvmStatic
    fun english(): WordTokenizer = WordTokenizer(EnglishAnalyzer(), "english")

    /** The tokenizer a saved vocabulary names: "standard" or "english". */
    @JvmStatic
    fun byName(name: String): WordTokenizer = when (name) {
      "standard" -> standard()
      "english" -> english()
      else -> throw IllegalArgumentException("tokenizer name: expected 'standard' or 'english', got '$name' (pass a custom analyzer's WordTokenizer yourself)")
    }
  }
}
