package io.github.kontrast.dsl.jupyter

import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.plot.HistoryTable
import io.github.kontrast.dsl.plot.plot
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.Figure

/**
 * Kontrast in a Kotlin notebook. The kernel finds this class through
 * `META-INF/kotlin-jupyter-libraries/libraries.json` in the dsl jar, so both `%use kontrast` and
 * `@file:DependsOn("io.github.kontrast:kontrast-dsl:<version>")` load it.
 *
 * It adds the [DefaultImports] and renders Lets-Plot figures (which covers the library's pairsGrid
 * and imageGrid) as SVG and PNG, a training [History] as its loss plot, and model summaries and
 * history tables as HTML tables with a plain-text twin.
 */
class KontrastIntegration : JupyterIntegration() {
  /** Called by the kernel when the library loads: adds the imports and registers the renderers. */
  override fun Builder.onLoaded() {
    import(*DefaultImports.all().toTypedArray())
    render<Figure> { FigureRendering.output(it) }
    render<ModelSummary> { SummaryRendering.output(it) }
    render<HistoryTable> { SummaryRendering.output(it) }
    // document 001's plot_history: a training run shows as its loss curves
    render<History> { FigureRendering.output(it.plot()) }
  }
}
