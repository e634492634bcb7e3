package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.plot.plot
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.Figure

/**
 * Kontrast in a Kotlin notebook. The kernel finds this class through
 * `META-INF/kotlin-jupyter-libraries/libraries.json` in the dsl jar, so both `%use kontrast` and
 * `@file:DependsOn("io.github.kontrast:kontrast-dsl:<version>")` load it.
 *
 * It adds the [DefaultImports] and renders Lets-Plot figures as SVG (which covers the library's
 * pairsGrid and imageGrid), a training [History] as its loss plot, and model summaries as HTML
 * tables.
 */
class KontrastIntegration : JupyterIntegration() {
  override fun Builder.onLoaded() {
    import(*DefaultImports.all().toTypedArray())
    render<Figure> { FigureRendering.mime(FigureRendering.svg(it)) }
    render<ModelSummary> { HTML(SummaryRendering.html(it)) }
    // document 001's plot_history: a training run shows as its loss curves
    render<History> { FigureRendering.mime(FigureRendering.svg(it.plot())) }
  }
}
