package io.github.kontrast.dsl.data

/**
 * Reads JSON (RFC 8259) into plain values: objects as [Map] (keys in file order), arrays as [List],
 * strings, numbers as [Double], booleans and null. For the small metadata files of datasets
 * (the emoji list); a syntax error names its offset.
 */
internal class JsonReader private constructor(private val text: String, private val source: String) {
  private var at = 0

  private fun fail(what: String): Nothing =
    throw IllegalArgumentException("$source: $what at offset $at${if (at < text.length) " ('${text[at]}')" else " (end of text)"}")

  private fun skipSpace() {
    while (at < text.length && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) at++
  }

  private fun value(): Any? {
    skipSpace()
    if (at >= text.length) fail("expected a value")
    return when (val c = text[at]) {
      '{' -> obj()
      '[' -> array()
      '"' -> string()
      't' -> literal("true", true)
      'f' -> literal("false", false)
      'n' -> literal("null", null)
      else -> if (c == '-' || c in '0'..'9') number() else fail("expected a value")
    }
  }

  private fun literal(word: String, v: Any?): Any? {
    if (!text.startsWith(word, at)) fail("expected '$word'")
    at += word.length
    return v
  }

  private fun obj(): Map<String, Any?> {
    at++ // {
    val out = LinkedHashMap<String, Any?>()
    skipSpace()
    if (at < text.length && text[at] == '}') { at++; return out }
    while (true) {
      skipSpace()
      if (at >= text.length || text[at] != '"') fail("expected a key")
      val key = string()
      skipSpace()
      if (at >= text.length || text[at] != ':') fail("expected ':'")
      at++
      out[key] = value()
      skipSpace()
      when (if (at < text.length) text[at] else ' ') {
        ',' -> at++
        '}' -> { at++; return out }
        else -> fail("expected ',' or '}'")
      }
    }
  }

  private fun array(): List<Any?> {
    at++ // [
    val out = ArrayList<Any?>()
    skipSpace()
    if (at < text.length && text[at] == ']') { at++; return out }
    while (true) {
      out += value()
      skipSpace()
      when (if (at < text.length) text[at] else ' ') {
        ',' -> at++
        ']' -> { at++; return out }
        else -> fail("expected ',' or ']'")
      }
    }
  }

  private fun string(): String {
    at++ // opening quote
    val sb = StringBuilder()
    while (true) {
      if (at >= text.length) fail("unterminated string")
      val c = text[at++]
      when {
        c == '"' -> return sb.toString()
        c == '\\' -> {
          if (at >= text.length) fail("unterminated escape")
          when (val e = text[at++]) {
            '"', '\\', '/' -> sb.append(e)
            'b' -> sb.append('\b')
            'f' -> sb.append('\u000C')
            'n' -> sb.append('\n')
            'r' -> sb.append('\r')
            't' -> sb.append('\t')
            'u' -> {
              if (at + 4 > text.length) fail("short \\u escape")
              val code = text.substring(at, at + 4).toIntOrNull(16) ?: fail("bad \\u escape")
              sb.append(code.toChar())
              at += 4
            }
            else -> { at--; fail("unknown escape") }
          }
        }
        c < ' ' -> { at--; fail("control character in a string") }
        else -> sb.append(c)
      }
    }
  }

  private fun number(): Double {
    val start = at
    if (text[at] == '-') at++
    while (at < text.length && (text[at].isDigit() || text[at] in ".eE+-")) at++
    return text.substring(start, at).toDoubleOrNull() ?: run { at = start; fail("bad number") }
  }

  companion object {
    /** The value [text] holds; [source] names it in error messages. */
    fun parse(text: String, source: String): Any? {
      val r = JsonReader(text, source)
      val v = r.value()
      r.skipSpace()
      if (r.at != text.length) r.fail("unexpected text after the value")
      return v
    }
  }
}
