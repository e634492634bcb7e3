package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.losses.NtXentLoss
import io.github.kontrast.losses.distributed.GatheredNtXent

/**
 * SimCLR (Chen et al. 2020; document 004): both views through the [encoder] (h) and the
 * [projector] (z), NT-Xent over the 2B projections ([loss], temperature 0.1 by default), every
 * other view in the batch a negative (in data-parallel training every view of every worker:
 * [GatheredNtXent], in row blocks too when [lossPlan] chose them). One loss term, "nt_xent". Outputs "z1" and "z2"; the
 * embedding is h.
 *
 * Built by [SimClrBuilder] (`simclr { ... }` in Kotlin, `SimClr.builder()...build()` in Java).
 */
class SimClrModel internal constructor(
  settings: PipelineSettings,
  encoder: Sequential,
  projector: Sequential,
  inputShape: IntArray,
  /** The NT-Xent loss trained, its chunking as [lossPlan] chose it. */
  val loss: NtXentLoss,
  /** The loss form chosen: full matrix or row blocks, and why. */
  val lossPlan: LossPlan,
  preprocessing: Preprocessing,
) : SelfSupervisedModel(settings, encoder, projector, inputShape, graph(encoder, projector, inputShape.copyOf(), loss, preprocessing)) {
  override val name: String get() = "simclr"

  override fun summaryRows(): List<ModelSummary.Row> =
    viewRows() + lossRow("nt_xent", "NtXentLoss, t=${loss.temperature()}") + lossPlan.summaryRow()

  override fun toString(): String =
    "SimClrModel(encoder=${encoder.name}, projector=${projector.name}, input=${ModelSummary.shape(inputShape)}, loss=$loss, optimizer=${optimizer.describe()})"

  private companion object {
    fun graph(encoder: Sequential, projector: Sequential, shape: IntArray, loss: NtXentLoss, preprocessing: Preprocessing) = GraphDefinition { g ->
      val v = TwoViews(g, shape, encoder, preprocessing)
      val (z1, z2) = v.both(v.head(projector, v.representation, "projector"), v.h1, v.h2)
      val collectives = g.collectives
      g.addLoss("nt_xent", if (collectives == null) loss.call(g.tf, g.lossInput(z1), g.lossInput(z2)) else GatheredNtXent(loss).call(g.tf, g.lossInput(z1), g.lossInput(z2), collectives))
      g.addOutput(Z1, z1)
      g.addOutput(Z2, z2)
    }
  }
}
