package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.losses.SwavLoss

/**
 * SwAV (Caron et al. 2020; document 004): z = normalise(projector(encoder(view))), scores against
 * [prototypes] unit prototypes ([Prototypes]: trainable, normalised again after every step),
 * codes from Sinkhorn-Knopp on each view's scores (computed without gradient, inside [loss]),
 * and the swapped prediction: view 2's scores predict view 1's codes and the other way round,
 * softmax at the loss's temperature (0.1); in data-parallel training the codes are Sinkhorn's over
 * the global batch, as in SwAV's own code. One loss term, "swav". Outputs "z1", "z2" (the
 * normalised projections) and "scores1", "scores2" ([B, prototypes]); the embedding is h.
 *
 * Not here: SwAV's multi-crop, its queue for small batches, and its freezing of the prototypes
 * during the first iterations.
 *
 * Built by [SwavBuilder] (`swav { ... }`, `Swav.builder()`).
 */
class SwavModel internal constructor(
  settings: PipelineSettings,
  encoder: Sequential,
  projector: Sequential,
  inputShape: IntArray,
  /** The number of prototypes. */
  val prototypes: Int,
  /** The loss trained. */
  val loss: SwavLoss,
  preprocessing: Preprocessing,
) : SelfSupervisedModel(settings, encoder, projector, inputShape, graph(encoder, projector, inputShape.copyOf(), prototypes, loss, preprocessing)) {
  override val name: String get() = "swav"

  override fun summaryRows(): List<ModelSummary.Row> = viewRows() + listOf(
    ModelSummary.Row(PROTOTYPES, "Prototypes, unit columns", ModelSummary.shape(intArrayOf(prototypes)), projectionShape[0].toLong() * prototypes),
    lossRow("swav", "SwavLoss, t=${loss.temperature()}, Sinkhorn eps=${loss.epsilon()} x${loss.iterations()}"),
  )

  override fun toString(): String =
    "SwavModel(encoder=${encoder.name}, input=${ModelSummary.shape(inputShape)}, prototypes=$prototypes, loss=$loss, optimizer=${optimizer.describe()})"

  companion object {
    /** Output names besides z1 and z2: the first view's scores against the prototypes. */
    const val SCORES1 = "scores1"
    /** The second view's scores against the prototypes. */
    const val SCORES2 = "scores2"

    /** The prototypes' variable scope: "prototypes/kernel" is the [dim, prototypes] matrix. */
    const val PROTOTYPES = "prototypes"

    private fun graph(encoder: Sequential, projector: Sequential, shape: IntArray, count: Int, loss: SwavLoss, preprocessing: Preprocessing) =
      GraphDefinition { g ->
        require(count > 0) { "prototypes: expected a number of prototypes > 0, got $count" }
        val tf = g.tf
        val v = TwoViews(g, shape, encoder, preprocessing)
        val proj = v.head(projector, v.representation, "projector")
        val (p1, p2) = v.both(proj, v.h1, v.h2)
        val z1 = unitVectors(tf, p1, axis = 1)
        val z2 = unitVectors(tf, p2, axis = 1)
        val prototypes = Prototypes(g, proj.outputShape[0], count, PROTOTYPES)
        val s1 = prototypes.scores(g, z1)
        val s2 = prototypes.scores(g, z2)
        g.addLoss("swav", loss.call(tf, s1, s2, g.collectives))
        listOf(Z1 to z1, Z2 to z2, SCORES1 to s1, SCORES2 to s2).forEach { (n, t) -> g.addOutput(n, t) }
      }
  }
}
