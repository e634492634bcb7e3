package io.github.kontrast.notebooks

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.kotlinx.jupyter.api.DisplayResult
import java.util.Base64

/**
 * What `%use kontrast` gives a notebook, checked in the real kernel: names from the default imports
 * compile without an import, and a Lets-Plot figure comes back as SVG and PNG.
 */
class IntegrationInReplSpec : FunSpec({
  val kernel = EmbeddedKernel.start()
  // as the notebooks start: the kernel loads the integration once the first cell has compiled
  kernel.eval("%use kontrast\nval quick = System.getenv(\"KONTRAST_QUICK\") == \"1\"")

  test("a cell uses ContrastiveLoss and PairConvention without importing them") {
    val result = kernel.eval(
      """
      val loss = ContrastiveLoss.create().withConvention(PairConvention.ONE_MEANS_DISSIMILAR).withMargin(2f)
      loss.margin()
      """.trimIndent()
    )
    result.rawValue shouldBe 2f
  }

  test("a cell uses a DSL class without importing it") {
    kernel.eval("History().keys.size").rawValue shouldBe 0
  }

  test("a Lets-Plot figure renders as SVG and PNG, without an HTML copy") {
    val result = kernel.eval("""letsPlot(mapOf("x" to listOf(1, 2, 3), "y" to listOf(1, 4, 9))) + geomLine { x = "x"; y = "y" }""")
    val rendered = result.renderedValue
    check(rendered is DisplayResult) { "expected a display result, got ${rendered?.javaClass}" }
    // the JSON the kernel sends to Jupyter
    val json = rendered.toJson(JsonObject(emptyMap()), null)
    val data = json.getValue("data").jsonObject
    data.keys shouldBe setOf("image/png", "image/svg+xml", "text/plain")
    data.getValue("image/svg+xml").jsonPrimitive.content shouldContain "<svg"
    Base64.getDecoder().decode(data.getValue("image/png").jsonPrimitive.content).copyOf(4).map { it.toInt() and 0xFF } shouldBe
      listOf(137, 80, 78, 71)
  }
})
