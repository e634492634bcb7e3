package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.plot.table
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import org.jetbrains.kotlinx.jupyter.api.Notebook
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.letsPlot
import java.lang.reflect.Proxy

/**
 * The integration as the kernel sees it, without a kernel: the descriptor in the jar, the
 * definition it produces (imports, renderers) and what the renderers return. notebooks/ runs the
 * same integration inside the real kernel.
 */
class KontrastIntegrationSpec : FunSpec({
  // the integration only stores the notebook; no method of it is called while loading
  val notebook = Proxy.newProxyInstance(javaClass.classLoader, arrayOf(Notebook::class.java)) { _, m, _ ->
    throw UnsupportedOperationException("Notebook.${m.name} is not available in this test")
  } as Notebook

  test("the jar's descriptor names the integration class, and it loads") {
    val json = javaClass.classLoader.getResource("META-INF/kotlin-jupyter-libraries/libraries.json")!!.readText()
    val fqn = Regex("\"fqn\"\\s*:\\s*\"([^\"]+)\"").find(json)!!.groupValues[1]
    fqn shouldBe KontrastIntegration::class.java.name
    (Class.forName(fqn).getDeclaredConstructor().newInstance() is JupyterIntegration) shouldBe true
  }

  test("the loss core's and the DSL's packages with classes are found, the integration's own is left out") {
    val packages = DefaultImports.dslPackages()
    packages shouldContainAll listOf("io.github.kontrast.dsl", "io.github.kontrast.dsl.data", "io.github.kontrast.dsl.engine", "io.github.kontrast.dsl.plot")
    packages shouldNotContain "io.github.kontrast.dsl.jupyter"
    DefaultImports.lossesPackages() shouldContain "io.github.kontrast.losses"
    DefaultImports.all() shouldContain "io.github.kontrast.losses.*"
    // every listed package really holds a class, or its star import would break every cell
    for (p in packages + DefaultImports.lossesPackages()) {
      val dir = javaClass.classLoader.getResource(p.replace('.', '/'))
      check(dir != null) { "package $p has no directory on the classpath" }
    }
  }

  test("the definition declares the default imports and four renderers") {
    val definition = KontrastIntegration().getDefinitions(notebook).single()
    definition.imports shouldContainAll listOf("io.github.kontrast.losses.*", "io.github.kontrast.dsl.*", "io.github.kontrast.dsl.data.*", "org.jetbrains.letsPlot.*")
    definition.imports shouldContain "org.tensorflow.op.Ops"
    definition.renderers.size shouldBe 4
    val plot = letsPlot(mapOf("x" to listOf(1, 2), "y" to listOf(3, 4))) { x = "x"; y = "y" } + geomPoint()
    val summary = ModelSummary("twin", listOf(ModelSummary.Row("dense", "Dense", "(None, 128)", 8256)), 8256, 0)
    definition.renderers.count { it.accepts(plot) } shouldBe 1
    definition.renderers.count { it.accepts(summary) } shouldBe 1
    definition.renderers.count { it.accepts(History()) } shouldBe 1
    definition.renderers.count { it.accepts(History().table()) } shouldBe 1
    definition.renderers.count { it.accepts("text") } shouldBe 0
  }

  test("a summary becomes a table with Keras' grouped counts, its text escaped") {
    val summary = ModelSummary(
      "siamese <twin>",
      listOf(
        ModelSummary.Row("conv2d", "Conv2D", "(None, 27, 27, 128)", 640),
        ModelSummary.Row("dense", "Dense", "(None, 128)", 8_256),
      ),
      trainableParams = 107_456,
      nonTrainableParams = 0,
    )
    val html = SummaryRendering.html(summary)
    html shouldContain "siamese &lt;twin&gt;"
    html shouldNotContain "<twin>"
    html shouldContain "<code>(None, 27, 27, 128)</code>"
    html shouldContain ">8,256<"
    html shouldContain ">107,456<"
    Regex("<tr>").findAll(html).count() shouldBe 1 + 2 + 3 // header, rows, totals
    // the plain-text twin, for front ends without HTML, is the Keras-style text table
    val output = SummaryRendering.output(summary)
    output.data.keys shouldBe setOf("text/html", "text/plain")
    val text = output.data.getValue("text/plain")
    text shouldContain "Model: \"siamese <twin>\""
    text shouldContain " conv2d (Conv2D)"
    text shouldContain "Total params: 107,456"
    text shouldNotContain "<td"
  }
})
