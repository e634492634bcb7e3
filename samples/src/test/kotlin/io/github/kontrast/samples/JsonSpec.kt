package io.github.kontrast.samples

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class JsonSpec : FunSpec({
  test("maps, lists, strings with escapes, and non-finite numbers as null") {
    val text = Json.write(linkedMapOf("a" to listOf(1.5, Double.NaN), "b" to "x\"y\n", "c" to 3, "d" to null))
    text shouldBe "{\n  \"a\": [1.5, null],\n  \"b\": \"x\\\"y\\n\",\n  \"c\": 3,\n  \"d\": null\n}"
  }

  test("nested maps indent") {
    Json.write(mapOf("m" to mapOf("k" to true))) shouldBe "{\n  \"m\": {\n    \"k\": true\n  }\n}"
  }

  test("an unsupported value is an error naming its type") {
    shouldThrow<IllegalArgumentException> { Json.write(Any()) }.message shouldBe "cannot write java.lang.Object as JSON"
  }
})
