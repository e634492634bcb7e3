package io.github.kontrast.samples

/**
 * Writes the few JSON shapes the walkthroughs report (maps of numbers, strings and lists), so
 * that metrics files need no serialization library. Non-finite numbers become null, as JSON has
 * no NaN.
 */
object Json {
  fun write(value: Any?, indent: String = ""): String = when (value) {
    null -> "null"
    is String -> quote(value)
    is Boolean -> value.toString()
    is Int, is Long -> value.toString()
    is Number -> value.toDouble().let { if (it.isFinite()) it.toString() else "null" }
    is Map<*, *> -> if (value.isEmpty()) "{}" else value.entries.joinToString(",\n", "{\n", "\n$indent}") { (k, v) ->
      "$indent  ${quote(k.toString())}: ${write(v, "$indent  ")}"
    }
    is Iterable<*> -> value.joinToString(", ", "[", "]") { write(it, indent) }
    is DoubleArray -> write(value.toList(), indent)
    is FloatArray -> write(value.toList(), indent)
    else -> throw IllegalArgumentException("cannot write ${value.javaClass.name} as JSON")
  }

  private fun quote(s: String): String = buildString {
    append('"')
    for (c in s) when {
      c == '"' -> append("\\\"")
      c == '\\' -> append("\\\\")
      c == '\n' -> append("\\n")
      c == '\t' -> append("\\t")
      c < ' ' -> append(String.format("\\u%04x", c.code))
      else -> append(c)
    }
    append('"')
  }
}
