package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class JsonReaderSpec : FunSpec({
  test("objects keep their key order; arrays, strings with escapes, numbers, literals") {
    val v = JsonReader.parse(
      """ {"name": "GRINNING FACE", "n": -1.5e2, "ok": true, "none": null, "list": [1, "a\"b\\c\u00e9\n", [], {}] } """,
      "t",
    ) as Map<*, *>
    v.keys.toList() shouldBe listOf("name", "n", "ok", "none", "list")
    v["n"] shouldBe -150.0
    v["ok"] shouldBe true
    v["none"] shouldBe null
    v["list"] shouldBe listOf(1.0, "a\"b\\cé\n", emptyList<Any>(), emptyMap<String, Any>())
  }

  test("a syntax error names the source and the offset") {
    shouldThrow<IllegalArgumentException> { JsonReader.parse("""{"a": [1, 2}""", "emoji.json") }.message shouldContain "emoji.json: expected ',' or ']' at offset 11"
    shouldThrow<IllegalArgumentException> { JsonReader.parse("""{"a": 1} x""", "f") }.message shouldContain "unexpected text after the value"
    shouldThrow<IllegalArgumentException> { JsonReader.parse("\"open", "f") }.message shouldContain "unterminated string"
    shouldThrow<IllegalArgumentException> { JsonReader.parse("[tru]", "f") }.message shouldContain "expected 'true'"
  }
})
