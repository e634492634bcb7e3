package io.github.kontrast.dsl.layers

import io.github.kontrast.dsl.pipeline.Encoders
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** Keras-style summaries; document 001's twin has 107,456 parameters. */
class SummarySpec : FunSpec({
  test("document 001's twin: shapes and parameter counts per layer, 107,456 in total") {
    val s = Encoders.mnistTwin().summary(intArrayOf(28, 28, 1))
    s.totalParams shouldBe 107_456L
    s.trainableParams shouldBe 107_456L
    s.nonTrainableParams shouldBe 0L
    s.rows.map { it.name } shouldBe listOf(
      "input", "conv2d", "max_pooling2d", "dropout", "conv2d_1", "max_pooling2d_1", "dropout_1",
      "conv2d_2", "max_pooling2d_2", "dropout_2", "global_average_pooling2d", "dense",
    )
    s.rows.map { it.outputShape } shouldBe listOf(
      "[(None, 28, 28, 1)]", "(None, 27, 27, 128)", "(None, 13, 13, 128)", "(None, 13, 13, 128)",
      "(None, 12, 12, 128)", "(None, 6, 6, 128)", "(None, 6, 6, 128)",
      "(None, 5, 5, 64)", "(None, 2, 2, 64)", "(None, 2, 2, 64)", "(None, 64)", "(None, 128)",
    )
    // 4*128+128, 4*128*128+128, 4*128*64+64, 64*128+128
    s.rows.map { it.params } shouldBe listOf(0L, 640L, 0L, 0L, 65_664L, 0L, 0L, 32_832L, 0L, 0L, 0L, 8_320L)
    val text = s.toString()
    text shouldContain "Layer (type)"
    text shouldContain "conv2d (Conv2D)"
    text shouldContain "Total params: 107,456"
    text shouldContain "Trainable params: 107,456"
    text shouldContain "Non-trainable params: 0"
  }

  test("batch norm's moving statistics count as non-trainable") {
    val s = sequential { dense(10); batchNorm() }.summary(intArrayOf(4))
    s.trainableParams shouldBe (50L + 20L)
    s.nonTrainableParams shouldBe 20L
  }

  test("given names are kept and defaults skip them") {
    sequential { dense(2, name = "dense"); dense(2) }.layerNames shouldBe listOf("dense", "dense_1")
  }
})
