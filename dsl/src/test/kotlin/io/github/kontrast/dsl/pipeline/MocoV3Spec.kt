package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.MomentumSchedule
import io.github.kontrast.dsl.mocoV3
import io.github.kontrast.losses.MocoLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.PI
import kotlin.math.abs
import kotlin.math.cos
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.sqrt

class MocoV3Spec : FunSpec({
  fun tiny(queue: Int = 0, steps: Long? = null, lr: Double = 1e-2) = mocoV3 {
    seed = 11
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8, batchNorm = true)
    predictor = mlp(16, 8, batchNorm = true, name = "predictor")
    queueSize = queue
    trainingSteps = steps
    optimizer = adam(lr)
    verbosity = TwoViewData.SILENT
  }

  test("trains: the loss falls; the summary shows the momentum branch as non-trainable copies") {
    tiny(steps = 24).use { m ->
      m.momentum.tau(0) shouldBe (0.99 plusOrMinus 1e-12) // MoCo v3's cosine ramp over trainingSteps
      m.momentum.tau(24) shouldBe 1.0
      val h = m.fit(TwoViewData.views(128, seed = 1), epochs = 6, batchSize = 32)
      h.keys shouldBe setOf("loss")
      h["loss"].last() shouldBeLessThan h["loss"].first() - 0.1
      val s = m.summary(print = false)
      s.title shouldBe "moco_v3"
      s.rows.map { it.name } shouldBe listOf("view1", "view2", "encoder", "projector", "predictor", "momentum_encoder", "momentum_projector", "moco")
      // encoder 632; projector 16*16 (no bias before a batch norm) + 4*16 (gamma, beta, moving mean and variance)
      // + 16*8 + 8 = 456; predictor 8*16 + 4*16 + 16*8 + 8 = 328; the momentum copies as their originals
      s.rows.map { it.params } shouldBe listOf(0L, 0L, 632L, 456L, 328L, 632L, 456L, 0L)
      s.trainableParams shouldBe 632L + 424 + 296
      s.nonTrainableParams shouldBe 32L + 32 + 632 + 456 // the online heads' moving statistics, the momentum branch
    }
  }

  test("its loss is the losses module's symmetric MoCo loss on the fetched queries and keys") {
    tiny().use { m ->
      lossMatches(m, TwoViewData.fixedViews(16, seed = 2), listOf("q1", "q2", "k1", "k2")) { tf, o ->
        MocoLoss.create().callSymmetric(tf, o.getValue("q1"), o.getValue("q2"), o.getValue("k1"), o.getValue("k2"))
      }
    }
  }

  test("the momentum branch starts as the online one and follows it by EMA with tau from the cosine schedule, step by step") {
    tiny(steps = 4).use { m ->
      val data = TwoViewData.fixedViews(8, seed = 3)
      val online = m.engine.compiled.variables.all.filter { it.trainable && (it.path.startsWith("encoder/") || it.path.startsWith("projector/")) }.map { it.path }
      online.size shouldBe 9 // the encoder's 2 kernels and 2 biases; the projector's kernel, gamma, beta, kernel and bias
      fun target(path: String) = "momentum_$path"
      var before = m.engine.checkpoint().values
      for (p in online) before.getValue(target(p)).data.toList() shouldBe before.getValue(p).data.toList()
      for (k in 0L until 2L) {
        m.fit(data, epochs = 1, batchSize = 8)
        val after = m.engine.checkpoint().values
        val tau = 1 - (1 - 0.99) * (cos(PI * k / 4) + 1) / 2
        for (p in online) {
          val t0 = before.getValue(target(p)).data
          val w = after.getValue(p).data
          val t1 = after.getValue(target(p)).data
          for (i in t1.indices) t1[i].toDouble() shouldBe ((tau * t0[i] + (1 - tau) * w[i]) plusOrMinus 1e-6)
        }
        // the online weights moved, so the copy now lags behind them
        (after.getValue(target(online[0])).data.toList() != after.getValue(online[0]).data.toList()) shouldBe true
        before = after
      }
    }
  }

  test("the queue: keys of both views enqueued after each step, L2-normalised, wrapping around; the loss adds them as negatives") {
    val b = 8
    val k = 24
    tiny(queue = k).use { m ->
      val first = TwoViewData.fixedViews(b, seed = 4)
      val second = TwoViewData.fixedViews(b, seed = 5)
      val start = m.engine.checkpoint().values
      start.getValue("queue/pointer").data.toList() shouldBe listOf(0f)
      val initial = start.getValue("queue/keys").data
      for (r in 0 until k) norm(initial, r, 8) shouldBe (1.0 plusOrMinus 1e-5)

      fun keysOf(data: ArrayDataset): FloatHostArray {
        val o = m.engine.fetch(data.batch(IntArray(b) { it }), listOf("k1", "k2"), training = true)
        val k1 = o.getValue("k1") as FloatHostArray
        val k2 = o.getValue("k2") as FloatHostArray
        return FloatHostArray(k1.data + k2.data, intArrayOf(2 * b, 8))
      }
      val keys1 = keysOf(first)
      m.engine.fit(first, null, 1, b, emptyList(), null, false)
      var q = m.engine.checkpoint().values
      q.getValue("queue/pointer").data.toList() shouldBe listOf((2 * b).toFloat())
      expectRows(q.getValue("queue/keys").data, (0 until 2 * b).associateWith { unit(keys1.row(it)) } + (2 * b until k).associateWith { row(initial, it, 8) })

      val keys2 = keysOf(second)
      m.engine.fit(second, null, 1, b, emptyList(), null, false)
      q = m.engine.checkpoint().values
      q.getValue("queue/pointer").data.toList() shouldBe listOf(b.toFloat()) // (16 + 16) mod 24
      expectRows(q.getValue("queue/keys").data, (0 until 2 * b).associate { (2 * b + it) % k to unit(keys2.row(it)) } + (b until 2 * b).associateWith { unit(keys1.row(it)) })

      // the loss: each query against its batch's other-view keys and the 24 queued keys, by hand in double
      val probe = TwoViewData.fixedViews(b, seed = 6)
      val o = m.engine.fetch(probe.batch(IntArray(b) { it }), listOf("q1", "q2", "k1", "k2")).mapValues { it.value as FloatHostArray }
      val queue = FloatHostArray(q.getValue("queue/keys").data, intArrayOf(k, 8))
      fun ce(query: FloatHostArray, keys: FloatHostArray, i: Int): Double {
        val all = (0 until b).map { keys.row(it) } + (0 until k).map { queue.row(it) }
        val logits = all.map { cosine(query.row(i), it) / 0.2 }
        val max = logits.max()
        return -(logits[i] - max - ln(logits.sumOf { exp(it - max) }))
      }
      val expected = (0 until b).sumOf { 0.5 * (ce(o.getValue("q1"), o.getValue("k2"), it) + ce(o.getValue("q2"), o.getValue("k1"), it)) } / b
      m.evaluate(probe, b).getValue("loss") shouldBe (expected plusOrMinus 1e-5 * expected)
      m.summary(print = false).rows.map { it.name } shouldBe listOf("view1", "view2", "encoder", "projector", "predictor", "momentum_encoder", "momentum_projector", "queue", "moco")
    }
  }

  test("bad settings fail when the model is built, naming the setting") {
    shouldThrow<IllegalArgumentException> {
      mocoV3 { input(*TwoViewData.SHAPE); encoder(TwoViewData.encoder()); projector = mlp(16, 8); predictor = mlp(16, 6, name = "predictor") }
    }.message shouldContain "the predictor 'predictor' must give the projector's size (None, 8)"
    shouldThrow<IllegalArgumentException> { mocoV3 { queueSize = -1 } }.message shouldContain "queueSize: expected a number of keys >= 0 (0: no queue), got -1"
    shouldThrow<IllegalArgumentException> { mocoV3 { trainingSteps = 0 } }.message shouldContain "trainingSteps: expected a number of updates > 0, got 0"
    // a schedule set explicitly is kept
    MocoV3.builder().momentum(MomentumSchedule.constant(0.9)).input(*TwoViewData.SHAPE).encoder(TwoViewData.encoder()).verbosity(TwoViewData.SILENT).build().use {
      it.momentum.tau(100) shouldBe 0.9
    }
  }
})

private fun norm(data: FloatArray, r: Int, d: Int): Double = sqrt((0 until d).sumOf { data[r * d + it].toDouble() * data[r * d + it] })

private fun row(data: FloatArray, r: Int, d: Int): DoubleArray = DoubleArray(d) { data[r * d + it].toDouble() }

private fun unit(v: DoubleArray): DoubleArray {
  val n = sqrt(v.sumOf { it * it })
  return DoubleArray(v.size) { v[it] / n }
}

private fun cosine(a: DoubleArray, b: DoubleArray): Double =
  a.indices.sumOf { a[it] * b[it] } / sqrt(a.sumOf { it * it } * b.sumOf { it * it })

/** Every row of a [24, 8] queue equals the expected one. */
private fun expectRows(queue: FloatArray, expected: Map<Int, DoubleArray>) {
  expected.size shouldBe queue.size / 8
  for ((r, v) in expected) for (j in v.indices) {
    if (abs(queue[r * 8 + j] - v[j]) > 1e-5) throw AssertionError("queue row $r, column $j: ${queue[r * 8 + j]}, expected ${v[j]}")
  }
}
