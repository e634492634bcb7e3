package io.github.kontrast.losses.distributed

import io.github.kontrast.losses.Arr
import io.github.kontrast.losses.DArr
import io.github.kontrast.losses.Host
import io.github.kontrast.losses.MocoLoss
import io.github.kontrast.losses.SoftmaxRefs
import io.github.kontrast.losses.Tf
import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.randomMat
import io.github.kontrast.losses.reducers.Reduction
import io.github.kontrast.losses.shouldMatch
import io.github.kontrast.losses.near
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/** The rows of [a] then those of [b]. */
fun stackRows(a: Host, b: Host): Arr {
  val d = a.size / a.rows
  return Arr(longArrayOf((a.rows + b.rows).toLong(), d.toLong()), FloatArray(a.size + b.size) { if (it < a.size) a.at(it).toFloat() else b.at(it - a.size).toFloat() })
}

/**
 * MoCo v3's loss gathered over simulated workers ([SimulatedGroup]): the mean of the workers'
 * values and its gradient are the one-worker loss of the global batch and its gradient, computed
 * by [MocoLoss] and by the plain-double reference.
 */
class GatheredMocoSpec : FunSpec({
  val rnd = kotlin.random.Random(29)
  val d = 4

  /** Document 004's symmetric MoCo loss in double, from the definition, optionally with queued negatives. */
  fun reference(q1: Host, q2: Host, k1: Host, k2: Host, t: Double, queue: Host? = null, sim: (DoubleArray, DoubleArray) -> Double = SoftmaxRefs.Sim.cosine): Double {
    val keys2 = if (queue == null) k2 else stackRows(k2, queue)
    val keys1 = if (queue == null) k1 else stackRows(k1, queue)
    val a = SoftmaxRefs.inBatch(q1, keys2, t, sim)
    val b = SoftmaxRefs.inBatch(q2, keys1, t, sim)
    return a.indices.sumOf { (a[it] + b[it]) / 2 } / a.size
  }

  /** The workers' mean of the gathered symmetric loss on placeholders (q1, q2, k1, k2[, queue]). */
  fun gathered(tf: Ops, x: List<Operand<TFloat32>>, group: SimulatedGroup, loss: MocoLoss): Operand<TFloat32> =
    group.mean(tf) { g ->
      val (q1, q2, k1, k2) = x.take(4).map { SimulatedGather.slice(tf, it, g.size(), g.rank()) }
      val moco = GatheredMoco(loss)
      if (x.size == 4) moco.callSymmetric(tf, q1, q2, k1, k2, g)
      else moco.callSymmetric(tf, q1, q2, GatheredMoco.gatherKeys(tf, k1, k2, g), g, x[4])
    }

  test("S workers' mean equals MocoLoss and the double reference on the global batch; gradients equal the one-worker gradients") {
    for ((s, b) in listOf(2 to 3, 3 to 2)) {
      val n = s * b
      val inputs = List(4) { randomMat(rnd, n, d) }
      val (q1, q2, k1, k2) = inputs
      val loss = MocoLoss.create()
      val value = Tf.graphLoss(inputs) { tf, x -> gathered(tf, x, SimulatedGroup(s), loss) }
      val one = Tf.graphLoss(inputs) { tf, (a, c, e, f) -> loss.callSymmetric(tf, a, c, e, f) }
      withClue("S=$s: gathered $value, MocoLoss $one") { (value near one.toDouble()) shouldBe true }
      withClue("S=$s: gathered $value, reference") { (value near reference(q1, q2, k1, k2, 0.2)) shouldBe true }
      // the keys carry no gradient in either form; the queries' gradients agree
      Tf.connected(inputs) { tf, x -> gathered(tf, x, SimulatedGroup(s), loss) } shouldBe listOf(true, true, false, false)
      val want = Tf.gradients(inputs, listOf(0, 1)) { tf, (a, c, e, f) -> loss.callSymmetric(tf, a, c, e, f) }
      val got = Tf.gradients(inputs, listOf(0, 1)) { tf, x -> gathered(tf, x, SimulatedGroup(s), loss) }
      got.indices.forEach { i -> got[i].shouldMatch(want[i].map { it.toDouble() }, "S=$s d/d${listOf("q1", "q2")[i]}", atol = 1e-6) }
      // and both match central differences of the double reference
      Tf.checkGradients(inputs, listOf(0, 1), reference = { (a, c, e, f) -> reference(a, c, e, f, 0.2) }) { tf, x ->
        gathered(tf, x, SimulatedGroup(s), loss)
      }
    }
  }

  test("SUM, 2t scaling and a dot-product similarity are the loss's own") {
    val s = 2
    val b = 3
    val inputs = List(4) { randomMat(rnd, s * b, d) }
    val (q1, q2, k1, k2) = inputs
    for (loss in listOf(MocoLoss.create().withReduction(Reduction.SUM), MocoLoss.create().withTwoTemperatureScaling(true).withTemperature(0.5f), MocoLoss.create().withDistance(Distances.dot()))) {
      val value = Tf.graphLoss(inputs) { tf, x -> gathered(tf, x, SimulatedGroup(s), loss) }
      val one = Tf.graphLoss(inputs) { tf, (a, c, e, f) -> loss.callSymmetric(tf, a, c, e, f) }
      val sim = if (loss.distance() == Distances.dot()) SoftmaxRefs.Sim.dot else SoftmaxRefs.Sim.cosine
      val ref = reference(q1, q2, k1, k2, loss.temperature().toDouble(), sim = sim) *
        (if (loss.reduction() == Reduction.SUM) (s * b).toDouble() else 1.0) * (if (loss.twoTemperatureScaling()) 2.0 * loss.temperature() else 1.0)
      withClue("$loss: gathered $value, MocoLoss $one, reference $ref") {
        (value near one.toDouble()) shouldBe true
        (value near ref) shouldBe true
      }
    }
  }

  test("the one-direction call: q against every worker's k") {
    val s = 3
    val b = 2
    val inputs = List(2) { randomMat(rnd, s * b, d) }
    val value = Tf.graphLoss(inputs) { tf, (q, k) ->
      SimulatedGroup(s).mean(tf) { g -> GatheredMoco(MocoLoss.create()).call(tf, SimulatedGather.slice(tf, q, g.size(), g.rank()), SimulatedGather.slice(tf, k, g.size(), g.rank()), g) }
    }
    (value near SoftmaxRefs.inBatch(inputs[0], inputs[1], 0.2, true).average()) shouldBe true
  }

  test("with a queue: the gathered keys then the queue's; Keys.both is what one worker enqueues") {
    val s = 2
    val b = 3
    val inputs = List(4) { randomMat(rnd, s * b, d) } + randomMat(rnd, 5, d)
    val (q1, q2, k1, k2) = inputs
    val value = Tf.graphLoss(inputs) { tf, x -> gathered(tf, x, SimulatedGroup(s), MocoLoss.create()) }
    withClue("gathered with a queue $value") { (value near reference(q1, q2, k1, k2, 0.2, inputs[4])) shouldBe true }
    Tf.checkGradients(inputs, listOf(0, 1), reference = { (a, c, e, f, q) -> reference(a, c, e, f, 0.2, q) }) { tf, x ->
      gathered(tf, x, SimulatedGroup(s), MocoLoss.create())
    }
    // every worker's [k1; k2] gathered: the global [K1; K2], in the order one worker enqueues them
    val enqueued = Tf.eagerOn(listOf(k1, k2)) { tf, (a, c) ->
      val perRank = SimulatedGroup(s).build(tf) { g -> GatheredMoco.gatherKeys(tf, SimulatedGather.slice(tf, a, g.size(), g.rank()), SimulatedGather.slice(tf, c, g.size(), g.rank()), g).both(tf) }
      tf.stack(perRank)
    }
    val want = (k1.data + k2.data).map { it.toDouble() }
    for (r in 0 until s) enqueued.copyOfRange(r * want.size, (r + 1) * want.size).shouldMatch(want, "rank $r's enqueued keys", rtol = 0.0, atol = 0.0)
  }

  test("the keys carry no gradient, so a gather that cuts the other workers' rows changes nothing here (it does for SupCon)") {
    val s = 2
    val b = 3
    val inputs = List(4) { randomMat(rnd, s * b, d) }
    val good = Tf.gradients(inputs, listOf(0, 1)) { tf, x -> gathered(tf, x, SimulatedGroup(s), MocoLoss.create()) }
    val cut = Tf.gradients(inputs, listOf(0, 1)) { tf, x -> gathered(tf, x, SimulatedGroup(s, othersWithoutGradient = true), MocoLoss.create()) }
    good.indices.forEach { i -> cut[i].shouldMatch(good[i].map { it.toDouble() }, "cut gather, input $i", rtol = 0.0, atol = 0.0) }
  }

  test("bad input is named") {
    shouldThrow<IllegalArgumentException> { GatheredMoco(MocoLoss.create().withReduction(Reduction.NONE)) }
      .message.let { it shouldContain "loss"; it shouldContain "NONE"; it shouldContain "MEAN or SUM" }
    Tf.graph { tf ->
      val g = SimulatedGroup.repeating(2, 1)
      val moco = GatheredMoco(MocoLoss.create())
      shouldThrow<IllegalArgumentException> {
        moco.callSymmetric(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), g)
      }.message.let { it shouldContain "'q2'"; it shouldContain "[2, 4]" }
      shouldThrow<IllegalArgumentException> {
        moco.callSymmetric(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 5), g)
      }.message.let { it shouldContain "'k2'"; it shouldContain "[3, 5]" }
      // keys gathered from another batch size than the queries'
      val keys = GatheredMoco.Keys(Tf.placeholder(tf, 4, 4), Tf.placeholder(tf, 4, 4))
      shouldThrow<IllegalArgumentException> {
        moco.callSymmetric(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), keys, g, null)
      }.message.let { it shouldContain "'keys.k2'"; it shouldContain "2 workers"; it shouldContain "6 rows"; it shouldContain "[4, 4]" }
      val six = GatheredMoco.Keys(Tf.placeholder(tf, 6, 4), Tf.placeholder(tf, 6, 4))
      shouldThrow<IllegalArgumentException> {
        moco.callSymmetric(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), six, g, Tf.placeholder(tf, 5, 3))
      }.message.let { it shouldContain "'queue'"; it shouldContain "[5, 3]" }
      shouldThrow<IllegalArgumentException> {
        moco.callSymmetric(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 3, 4), null)
      }.message shouldContain "gather"
      // an unknown batch size builds
      moco.callSymmetric(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4), g)
    }
  }
})
