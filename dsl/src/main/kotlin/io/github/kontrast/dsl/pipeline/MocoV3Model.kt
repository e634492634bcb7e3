package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.MomentumSchedule
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.losses.MocoLoss
import io.github.kontrast.losses.SoftmaxContrastive
import io.github.kontrast.losses.distributed.GatheredMoco
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * MoCo v3 (Chen, Xie and He 2021; document 004). The online branch is [encoder], [projector] and
 * [predictor]: q = predictor(projector(encoder(view))). The momentum branch is an EMA copy of the
 * encoder and the projector (`PipelineGraph.momentumCopy`, never trained): k =
 * projector_m(encoder_m(view)), after every step moved toward the online weights with tau from
 * [momentum] (MoCo v3's cosine ramp from 0.99 to 1). The loss is symmetric, with the [loss]'s
 * temperature (0.2) and similarity: (L(q1, k2) + L(q2, k1)) / 2 as document 004 writes it, each
 * L a cross-entropy over the batch's keys. The official MoCo v3 code returns L(q1, k2) + L(q2, k1)
 * with each L multiplied by 2 * temperature, 4 * temperature times this value: a constant factor,
 * the same minimum; `MocoLoss.withTwoTemperatureScaling(true)` applies 2 * temperature here.
 *
 * With [queueSize] > 0, MoCo v2's queue ([KeyQueue]): the keys of both views are enqueued after
 * every step, and each query is scored against its batch's keys and the queued keys, [B, B + K]
 * logits with the positive on the diagonal. In data-parallel training each worker's queries are
 * scored against the keys of every worker and the queue receives them all ([GatheredMoco]), as
 * one worker with the global batch computes it. One loss term, "moco". Outputs "z1", "z2" (online
 * projections), "q1", "q2" (predictions), "k1", "k2" (momentum keys); the embedding is the online
 * encoder's h.
 *
 * Built by [MocoV3Builder] (`mocoV3 { ... }`, `MocoV3.builder()`).
 */
class MocoV3Model internal constructor(
  settings: PipelineSettings,
  encoder: Sequential,
  projector: Sequential,
  /** The online branch's predictor on top of the projector. */
  val predictor: Sequential,
  inputShape: IntArray,
  /** The loss trained. */
  val loss: MocoLoss,
  /** The momentum branch's tau by step. */
  val momentum: MomentumSchedule,
  /** Queued keys used as extra negatives; 0: no queue. */
  val queueSize: Int,
  preprocessing: Preprocessing,
) : SelfSupervisedModel(
  settings, encoder, projector, inputShape,
  graph(encoder, projector, predictor, inputShape.copyOf(), loss, momentum, queueSize, preprocessing),
) {
  override val name: String get() = "moco_v3"

  override fun summaryRows(): List<ModelSummary.Row> {
    val z = ModelSummary.shape(projectionShape)
    val rows = viewRows() + listOf(
      ModelSummary.Row(predictor.name, "Sequential, shared", z, predictor.summary(projectionShape).totalParams),
      ModelSummary.Row(MOMENTUM_ENCODER, "Sequential, EMA of ${encoder.name}", ModelSummary.shape(representationShape), encoderSummary().totalParams),
      ModelSummary.Row(MOMENTUM_PROJECTOR, "Sequential, EMA of ${projector.name}", z, projectorSummary().totalParams),
    )
    val queue = if (queueSize > 0) listOf(ModelSummary.Row(QUEUE, "KeyQueue", "($queueSize, ${projectionShape[0]})", queueSize.toLong() * projectionShape[0] + 1)) else emptyList()
    return rows + queue + lossRow("moco", "MocoLoss, t=${loss.temperature()}, symmetric")
  }

  override fun summaryTables(): List<ModelSummary> = super.summaryTables() + predictor.summary(projectionShape)

  override fun toString(): String =
    "MocoV3Model(encoder=${encoder.name}, input=${ModelSummary.shape(inputShape)}, loss=$loss, queue=$queueSize, optimizer=${optimizer.describe()})"

  companion object {
    /** Output names besides z1 and z2: the first view's prediction (the online branch's query). */
    const val Q1 = "q1"
    /** The second view's prediction (the online branch's query). */
    const val Q2 = "q2"
    /** The first view's momentum key. */
    const val K1 = "k1"
    /** The second view's momentum key. */
    const val K2 = "k2"

    /** Variable scopes of the momentum branch and of the queue. */
    const val MOMENTUM_ENCODER = "momentum_encoder"
    /** Variable scope of the momentum projector. */
    const val MOMENTUM_PROJECTOR = "momentum_projector"
    /** Variable scope of the key queue. */
    const val QUEUE = "queue"

    private fun graph(
      encoder: Sequential,
      projector: Sequential,
      predictor: Sequential,
      shape: IntArray,
      loss: MocoLoss,
      momentum: MomentumSchedule,
      queueSize: Int,
      preprocessing: Preprocessing,
    ) = GraphDefinition { g ->
      require(queueSize >= 0) { "queueSize: expected a number of keys >= 0 (0: no queue), got $queueSize" }
      val tf = g.tf
      val v = TwoViews(g, shape, encoder, preprocessing)
      val proj = v.head(projector, v.representation, "projector")
      val pred = v.head(predictor, proj.outputShape, "predictor")
      require(pred.outputShape.contentEquals(proj.outputShape)) {
        "the predictor '${predictor.name}' must give the projector's size ${ModelSummary.shape(proj.outputShape)} (its output is compared with the keys), it gives ${ModelSummary.shape(pred.outputShape)}"
      }
      val momentumEncoder = g.momentumCopy(v.encoder, momentum, MOMENTUM_ENCODER)
      val momentumProjector = g.momentumCopy(proj, momentum, MOMENTUM_PROJECTOR)
      val (z1, z2) = v.both(proj, v.h1, v.h2)
      val (q1, q2) = v.both(pred, z1, z2)
      // the keys carry no gradient: the momentum branch is never trained
      val k1 = tf.stopGradient(momentumProjector.apply(g.forward, momentumEncoder.apply(g.forward, v.view1())))
      val k2 = tf.stopGradient(momentumProjector.apply(g.forward, momentumEncoder.apply(g.forward, v.view2)))
      val collectives = g.collectives
      val value = if (collectives != null) {
        // data-parallel: every worker's keys are negatives, and the queue takes them all, so every worker holds the same queue
        val keys = GatheredMoco.gatherKeys(tf, k1, k2, collectives)
        val queue = if (queueSize == 0) null else KeyQueue(g, queueSize, proj.outputShape[0], QUEUE).also { it.enqueueAfterStep(keys.both(tf)) }
        GatheredMoco(loss).callSymmetric(tf, q1, q2, keys, collectives, queue?.keys)
      } else if (queueSize == 0) {
        loss.callSymmetric(tf, q1, q2, k1, k2)
      } else {
        val queue = KeyQueue(g, queueSize, proj.outputShape[0], QUEUE)
        val both = tf.math.mul(tf.constant(0.5f), tf.math.add(withQueue(tf, loss, q1, k2, queue.keys), withQueue(tf, loss, q2, k1, queue.keys)))
        queue.enqueueAfterStep(tf.concat(listOf(k1, k2), tf.constant(0)))
        loss.reduction().reduce(tf, both)
      }
      g.addLoss("moco", value)
      listOf(Z1 to z1, Z2 to z2, Q1 to q1, Q2 to q2, K1 to k1, K2 to k2).forEach { (n, t) -> g.addOutput(n, t) }
    }

    /**
     * Per-query MoCo loss against the batch's keys [k] and the queued ones: [loss]'s similarity
     * over [k; queue] divided by its temperature, the positive on the diagonal, optionally times
     * 2 * temperature, as [MocoLoss] computes it without a queue.
     */
    private fun withQueue(tf: Ops, loss: MocoLoss, q: Operand<TFloat32>, k: Operand<TFloat32>, queue: Operand<TFloat32>): Operand<TFloat32> {
      val keys = tf.concat(listOf(k, tf.stopGradient(queue)), tf.constant(0))
      val d = loss.distance()
      val logits = tf.math.div(d.asSimilarity(tf, d.matrix(tf, q, keys)), tf.constant(loss.temperature()))
      val ce = SoftmaxContrastive.perAnchor(tf, logits, SoftmaxContrastive.diagonal(tf, logits))
      return if (loss.twoTemperatureScaling()) tf.math.mul(ce, tf.constant(2f * loss.temperature())) else ce
    }
  }
}
