package io.github.kontrast.dsl.plot

import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.jupyter.SummaryRendering
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class HistoryTableSpec : FunSpec({
  val history = History().apply {
    addEpoch(1, mapOf("loss" to 0.09514032872269551, "pair_accuracy" to 0.7033125, "val_loss" to 0.06388283997774125))
    addEpoch(2, mapOf("loss" to 0.07033428214242061, "pair_accuracy" to 0.8138229166666666))
  }

  test("one row per key, each followed by its val_ twin, values to four decimals, a missing one as a dash") {
    val table = history.table()
    table.rows.keys.toList() shouldBe listOf("loss", "val_loss", "pair_accuracy")
    table.toString() shouldBe
      "               epoch 1  epoch 2\n" +
      "loss            0.0951   0.0703\n" +
      "val_loss        0.0639        -\n" +
      "pair_accuracy   0.7033   0.8138\n"
  }

  test("the number of decimals is a parameter, and epochs keep their numbers") {
    val restored = History().apply { addEpoch(4, mapOf("loss" to 0.125)); addEpoch(5, mapOf("loss" to 0.0625)) }
    restored.table(digits = 2).toString() shouldBe
      "      epoch 4  epoch 5\n" +
      "loss     0.13     0.06\n" // String.format rounds half up: 0.125 -> 0.13, 0.0625 -> 0.06
    shouldThrow<IllegalArgumentException> { history.table(digits = 13) }.message shouldContain "digits must be in 0..12, got 13"
    shouldThrow<IllegalArgumentException> { HistoryTable(mapOf("loss" to listOf(1.0)), listOf(1, 2)) }.message shouldContain
      "'loss' has 1 values for 2 epochs [1, 2]"
  }

  test("in a notebook it is an HTML table with the same cells, and the text table") {
    val output = SummaryRendering.output(history.table())
    output.data.keys shouldBe setOf("text/html", "text/plain")
    val html = output.data.getValue("text/html")
    Regex("<tr>").findAll(html).count() shouldBe 1 + 3
    html shouldContain "<th style=\"text-align:right\">epoch 2</th>"
    html shouldContain "<td style=\"text-align:left\"><code>val_loss</code></td><td style=\"text-align:right\">0.0639</td><td style=\"text-align:right\">-</td>"
    output.data.getValue("text/plain") shouldBe history.table().toString()
  }
})
