package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.losses.SupConLoss
import io.github.kontrast.losses.distributed.GatheredSupCon

/**
 * Supervised contrastive learning (Khosla et al. 2020; document 004): two views of each image
 * and its class label ([Batch.CLASS], one int per image); the 2B projections [z1; z2] with labels
 * [class; class] go into [loss] (SupCon's L_out, temperature 0.07), so every other image of the
 * same class, in either view, is a positive (in data-parallel training, of every worker's batch:
 * [GatheredSupCon]). One loss term, "supcon". Outputs "z1", "z2"; the
 * embedding is h.
 *
 * Built by [SupConBuilder] (`supCon { ... }`, `SupCon.builder()`).
 */
class SupConModel internal constructor(
  settings: PipelineSettings,
  encoder: Sequential,
  projector: Sequential,
  inputShape: IntArray,
  /** The loss trained, its chunking as [lossPlan] chose it. */
  val loss: SupConLoss,
  /** The loss form chosen: full matrix or row blocks, and why. */
  val lossPlan: LossPlan,
  preprocessing: Preprocessing,
) : SelfSupervisedModel(settings, encoder, projector, inputShape, graph(encoder, projector, inputShape.copyOf(), loss, preprocessing)) {
  override val name: String get() = "supcon"

  override fun summaryRows(): List<ModelSummary.Row> =
    viewRows().take(2) + ModelSummary.Row(Batch.CLASS, "InputLayer", "[${ModelSummary.shape(IntArray(0))}]", 0) +
      viewRows().drop(2) + lossRow("supcon", "SupConLoss, t=${loss.temperature()}") + lossPlan.summaryRow()

  override fun toString(): String =
    "SupConModel(encoder=${encoder.name}, input=${ModelSummary.shape(inputShape)}, loss=$loss, optimizer=${optimizer.describe()})"

  private companion object {
    fun graph(encoder: Sequential, projector: Sequential, shape: IntArray, loss: SupConLoss, preprocessing: Preprocessing) = GraphDefinition { g ->
      val tf = g.tf
      val v = TwoViews(g, shape, encoder, preprocessing)
      val classes = g.intInput(Batch.CLASS, IntArray(0))
      val (z1, z2) = v.both(v.head(projector, v.representation, "projector"), v.h1, v.h2)
      val labels = tf.concat(listOf(classes, classes), tf.constant(0))
      val collectives = g.collectives
      val features = tf.concat(listOf(g.lossInput(z1), g.lossInput(z2)), tf.constant(0))
      g.addLoss("supcon", if (collectives == null) loss.call(tf, features, labels) else GatheredSupCon(loss).call(tf, features, labels, collectives))
      g.addOutput(SelfSupervisedModel.Z1, z1)
      g.addOutput(SelfSupervisedModel.Z2, z2)
    }
  }
}
