package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.layers.ModelSummary
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.Figure

/**
 * Kontrast in a Kotlin notebook. The kernel finds this class through
 * `META-INF/kotlin-jupyter-libraries/libraries.json` in the dsl jar, so both `%use kontrast` and
 * `@file:DependsOn("io.github.kontrast:kontrast-dsl:<version>")` load it.
 *
 * It adds the [DefaultImports] and renders Lets-Plot figures as SVG and model summaries as HTML
 * tables.
 */
class KontrastIntegration : JupyterIntegration() {
  override fun Builder.onLoaded() {
    import(*DefaultImports.all().toTypedArray())
    render<Figure> { FigureRendering.mime(FigureRendering.svg(it)) }
    render<ModelSummary> { HTML(SummaryRendering.html(it)) }
  }
}
