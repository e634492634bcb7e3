package io.github.kontrast.dsl.optim

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class ParameterFilterSpec : FunSpec({
  test("biases and normalization parameters are recognised in Keras, PyTorch and SimCLR spellings") {
    val f = ParameterFilter.BIASES_AND_NORMALIZATION
    listOf(
      "dense/bias", "conv2d_1/bias:0", "encoder.fc.bias", "conv1_bias", "batch_normalization/gamma",
      "batchNorm_2/beta", "bn1.weight", "layer_norm/gamma", "head/LayerNorm/scale",
    ).forEach { name -> withClue(name) { f.matches(name) shouldBe true } }
    listOf("dense/kernel", "conv2d_1/kernel:0", "encoder.fc.weight", "embedding/embeddings", "abnormal/kernel")
      .forEach { name -> withClue(name) { f.matches(name) shouldBe false } }
  }

  test("NONE, nameContains, nameMatches and anyOf") {
    ParameterFilter.NONE.matches("dense/bias") shouldBe false
    ParameterFilter.nameContains("proj", "head").matches("projection/kernel") shouldBe true
    ParameterFilter.nameContains("head").matches("dense/kernel") shouldBe false
    ParameterFilter.nameMatches("^temperature$").matches("temperature") shouldBe true
    ParameterFilter.nameMatches("^temperature$").matches("log_temperature") shouldBe false
    val either = ParameterFilter.anyOf(ParameterFilter.nameContains("x"), ParameterFilter.nameContains("y"))
    either.matches("ay") shouldBe true
    either.matches("ab") shouldBe false
    shouldThrow<IllegalArgumentException> { ParameterFilter.nameContains() }.message shouldContain "parts: expected at least one substring"
  }
})

private inline fun <T> withClue(clue: String, block: () -> T): T = io.kotest.assertions.withClue(clue, block)
