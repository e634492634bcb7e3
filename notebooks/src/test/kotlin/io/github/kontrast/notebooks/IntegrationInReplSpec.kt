package io.github.kontrast.notebooks

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult

/**
 * What `%use kontrast` gives a notebook, checked in the real kernel: names from the default imports
 * compile without an import, and a Lets-Plot figure comes back as SVG.
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

  test("a Lets-Plot figure renders as SVG") {
    val result = kernel.eval("""letsPlot(mapOf("x" to listOf(1, 2, 3), "y" to listOf(1, 4, 9))) + geomLine { x = "x"; y = "y" }""")
    val rendered = result.renderedValue
    check(rendered is MimeTypedResult) { "expected a MIME result, got ${rendered?.javaClass}" }
    rendered["image/svg+xml"]!! shouldContain "<svg"
    rendered["text/html"]!! shouldContain "<svg"
  }
})
