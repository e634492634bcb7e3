package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class ZeroShotClassifierSpec : FunSpec({
  // a stand-in text tower: each prompt has a fixed embedding (of any length)
  val table = mapOf(
    "an emoji of cat" to floatArrayOf(2f, 0f), "a cat emoji" to floatArrayOf(0.6f, 0.8f),
    "an emoji of dog" to floatArrayOf(0f, 3f), "a dog emoji" to floatArrayOf(-0.6f, 0.8f),
  )
  val embed = { texts: List<String> -> FloatHostArray(texts.flatMap { table.getValue(it).toList() }.toFloatArray(), intArrayOf(texts.size, 2)) }

  test("class embedding = normalized mean of the normalized template embeddings") {
    val z = ZeroShotClassifier.fromPrompts(listOf("cat", "dog"), embed, listOf("an emoji of {}", "a {} emoji"))
    // cat: ([1, 0] + [0.6, 0.8]) / 2 = [0.8, 0.4] -> [2, 1] / sqrt 5; dog: ([0, 1] + [-0.6, 0.8]) / 2 = [-0.3, 0.9] -> [-1, 3] / sqrt 10
    val expected = floatArrayOf(2 / Math.sqrt(5.0).toFloat(), 1 / Math.sqrt(5.0).toFloat(), -1 / Math.sqrt(10.0).toFloat(), 3 / Math.sqrt(10.0).toFloat())
    z.classEmbeddings.data.zip(expected).forEach { (a, e) -> a shouldBe (e plusOrMinus 1e-6f) }
  }

  test("an image gets the class of the most similar prompt ensemble; accuracy counts matches") {
    val z = ZeroShotClassifier.fromPrompts(listOf("cat", "dog"), embed, listOf("an emoji of {}", "a {} emoji"))
    val images = FloatHostArray(floatArrayOf(5f, 1f, -1f, 2f, 1f, 1f), intArrayOf(3, 2))
    // [1, 1]: cat 3 / sqrt 10 = 0.949, dog 2 / sqrt 20 = 0.447
    z.predict(images).toList() shouldBe listOf(0, 1, 0)
    z.scores(images).data[4] shouldBe ((3 / Math.sqrt(10.0)).toFloat() plusOrMinus 1e-6f)
    z.accuracy(images, intArrayOf(0, 1, 1)) shouldBe (2.0 / 3)
  }

  test("templates need one '{}'; shapes are checked") {
    shouldThrow<IllegalArgumentException> { ZeroShotClassifier.fromPrompts(listOf("cat"), embed, listOf("an emoji")) }.message shouldContain "'{}'"
    val z = ZeroShotClassifier.fromPrompts(listOf("cat"), embed, listOf("an emoji of {}"))
    shouldThrow<IllegalArgumentException> { z.predict(FloatHostArray(FloatArray(3), intArrayOf(1, 3))) }.message shouldContain "[N, 2]"
  }
})
