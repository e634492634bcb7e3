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

  test("every part and every filter is consulted, the first as much as the last; nameContains is case-sensitive") {
    val parts = ParameterFilter.nameContains("proj", "head", "temp")
    listOf("projection/kernel", "head/bias", "log_temperature").forEach { withClue(it) { parts.matches(it) shouldBe true } }
    parts.matches("encoder/kernel") shouldBe false
    parts.matches("Projection/kernel") shouldBe false
    ParameterFilter.nameContains("Head").matches("head/kernel") shouldBe false
    val either = ParameterFilter.anyOf(ParameterFilter.nameContains("x"), ParameterFilter.nameContains("y"))
    either.matches("ax") shouldBe true
    either.matches("ay") shouldBe true
    ParameterFilter.anyOf().matches("anything") shouldBe false
    shouldThrow<IllegalArgumentException> { ParameterFilter.nameContains("head", "") }
      .message shouldContain "parts: expected non-empty substrings, got [head, ]"
  }

  test("bias and normalization names: every segment is read, in any case; a marker inside a longer word does not count") {
    val f = ParameterFilter.BIASES_AND_NORMALIZATION
    // the marker in the first, a middle or the last segment, with each separator
    listOf("bias/kernel", "model/Bias/kernel", "a.b", "BETA:0", "block1:bn_conv/kernel", "x/my_batch_norm_2/moving")
      .forEach { name -> withClue(name) { f.matches(name) shouldBe true } }
    // "b" and "beta" only as whole segments; "bn" only at a segment's start
    listOf("kernel", "dense/kernel_b", "alphabeta/kernel", "dense/w_bn", "embedding/abias")
      .forEach { name -> withClue(name) { f.matches(name) shouldBe false } }
  }
})

private inline fun <T> withClue(clue: String, block: () -> T): T = io.kotest.assertions.withClue(clue, block)
