package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.losses.NegativeCosineLoss
import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction

/**
 * SimSiam (Chen and He 2021; document 004): z = projector(encoder(view)), p = predictor(z), and
 * the symmetric negative cosine D(p1, stopgrad(z2)) / 2 + D(p2, stopgrad(z1)) / 2
 * ([NegativeCosineLoss]); no negatives, no momentum encoder. The stop-gradient is what keeps it
 * from collapsing: with [stopGradient] false the same value is trained with the gradient flowing
 * into both z's, and the outputs collapse to one vector (the paper's Figure 2, document 004's
 * "avoiding collapse"), which is what that setting is for. One loss term, "simsiam". Outputs
 * "z1", "z2", "p1", "p2"; the embedding is h.
 *
 * Built by [SimSiamBuilder] (`simsiam { ... }`, `SimSiam.builder()`).
 */
class SimSiamModel internal constructor(
  settings: PipelineSettings,
  encoder: Sequential,
  projector: Sequential,
  /** The predictor p = predictor(z). */
  val predictor: Sequential,
  inputShape: IntArray,
  /** Whether the targets z carry no gradient (false: the collapse demonstration). */
  val stopGradient: Boolean,
  preprocessing: Preprocessing,
) : SelfSupervisedModel(settings, encoder, projector, inputShape, graph(encoder, projector, predictor, inputShape.copyOf(), stopGradient, preprocessing)) {
  override val name: String get() = "simsiam"

  override fun summaryRows(): List<ModelSummary.Row> = viewRows() + listOf(
    ModelSummary.Row(predictor.name, "Sequential, shared", ModelSummary.shape(projectionShape), predictor.summary(projectionShape).totalParams),
    lossRow("simsiam", if (stopGradient) "NegativeCosineLoss, stop-gradient" else "negative cosine, NO stop-gradient"),
  )

  override fun summaryTables(): List<ModelSummary> = super.summaryTables() + predictor.summary(projectionShape)

  override fun toString(): String =
    "SimSiamModel(encoder=${encoder.name}, input=${ModelSummary.shape(inputShape)}, stopGradient=$stopGradient, optimizer=${optimizer.describe()})"

  companion object {
    /** Output names besides z1 and z2: the first view's prediction. */
    const val P1 = "p1"
    /** The second view's prediction. */
    const val P2 = "p2"

    private fun graph(encoder: Sequential, projector: Sequential, predictor: Sequential, shape: IntArray, stopGradient: Boolean, preprocessing: Preprocessing) =
      GraphDefinition { g ->
        val tf = g.tf
        val v = TwoViews(g, shape, encoder, preprocessing)
        val proj = v.head(projector, v.representation, "projector")
        val pred = v.head(predictor, proj.outputShape, "predictor")
        require(pred.outputShape.contentEquals(proj.outputShape)) {
          "the predictor '${predictor.name}' must give the projector's size ${ModelSummary.shape(proj.outputShape)} (p is compared with z), it gives ${ModelSummary.shape(pred.outputShape)}"
        }
        val (z1, z2) = v.both(proj, v.h1, v.h2)
        val (p1, p2) = v.both(pred, z1, z2)
        val value = if (stopGradient) {
          NegativeCosineLoss.create().call(tf, p1, p2, z1, z2)
        } else {
          // the loss's formula without its stop-gradient: -(cos(p1, z2) + cos(p2, z1)) / 2
          val cosine = Distances.cosine()
          val both = tf.math.add(cosine.pairwise(tf, p1, z2), cosine.pairwise(tf, p2, z1))
          Reduction.MEAN.reduce(tf, tf.math.mul(tf.constant(-0.5f), both))
        }
        g.addLoss("simsiam", value)
        listOf(Z1 to z1, Z2 to z2, P1 to p1, P2 to p2).forEach { (n, t) -> g.addOutput(n, t) }
      }
  }
}
