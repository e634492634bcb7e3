package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.optim.Optimizer
import io.github.kontrast.dsl.optim.sgd
import io.github.kontrast.dsl.swav
import io.github.kontrast.losses.SwavLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.sqrt

class SwavSpec : FunSpec({
  val count = 6
  fun tiny(optimizer: Optimizer? = null) = swav {
    seed = 13
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8, batchNorm = true)
    prototypes = count
    this.optimizer = optimizer ?: adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  test("trains: the loss falls and the prototypes stay unit columns; embed gives h and export writes the encoder") {
    val dir = tempdir().toPath().resolve("swav-model")
    tiny().use { m ->
      val h = m.fit(TwoViewData.views(128, seed = 1), epochs = 6, batchSize = 32)
      h.keys shouldBe setOf("loss")
      withClue("losses ${h["loss"]}") { h["loss"].last() shouldBeLessThan h["loss"].first() - 0.05 }
      val kernel = m.engine.checkpoint().values.getValue("prototypes/kernel").data
      for (c in 0 until count) columnNorm(kernel, c) shouldBe (1.0 plusOrMinus 1e-5)
      val images = TwoViewData.images(24, seed = 9).arrays.getValue(Batch.IMAGE) as FloatHostArray
      val e = m.embed(images)
      e.shape.toList() shouldBe listOf(24, 16) // h, not the 8 numbers of z
      m.export(dir)
      val served = servingEmbeddings(dir, images, TwoViewData.SHAPE)
      maxDifference(served, e) shouldBeLessThan 1e-5
    }
  }

  test("its loss is the losses module's SwavLoss on the fetched prototype scores, in inference and in a training step") {
    tiny().use { m ->
      lossMatches(m, TwoViewData.fixedViews(16, seed = 2), listOf("scores1", "scores2")) { tf, o ->
        SwavLoss.create().call(tf, o.getValue("scores1"), o.getValue("scores2"))
      }
    }
  }

  test("one SGD step: the prototypes move by the swapped-prediction gradient with the Sinkhorn codes held constant, then are normalised") {
    val b = 16
    val lr = 0.5
    tiny(sgd(lr)).use { m ->
      val data = TwoViewData.fixedViews(b, seed = 3)
      val w0 = m.engine.checkpoint().values.getValue("prototypes/kernel").data
      for (c in 0 until count) columnNorm(w0, c) shouldBe (1.0 plusOrMinus 1e-5)
      val o = m.engine.fetch(data.batch(IntArray(b) { it }), listOf("z1", "z2", "scores1", "scores2"), training = true).mapValues { it.value as FloatHostArray }
      val z1 = o.getValue("z1")
      val z2 = o.getValue("z2")
      val d = z1.shape[1]
      // the scores are the unit projections times the unit prototypes: cosines
      val s1 = Array(b) { i -> DoubleArray(count) { p -> (0 until d).sumOf { z1.data[i * d + it].toDouble() * w0[it * count + p] } } }
      val s2 = Array(b) { i -> DoubleArray(count) { p -> (0 until d).sumOf { z2.data[i * d + it].toDouble() * w0[it * count + p] } } }
      for (i in 0 until b) for (p in 0 until count) o.getValue("scores1").data[i * count + p].toDouble() shouldBe (s1[i][p] plusOrMinus 1e-5)
      // d loss / d s1_i = (softmax(s1_i / t) - q2_i) / (2 t B) with q2 a constant; likewise for view 2
      val t = 0.1
      val q1 = sinkhorn(s1, 0.05, 3)
      val q2 = sinkhorn(s2, 0.05, 3)
      fun gradient(s: Array<DoubleArray>, q: Array<DoubleArray>) = Array(b) { i ->
        val e = s[i].map { exp(it / t) }
        DoubleArray(count) { p -> (e[p] / e.sum() - q[i][p]) / (2 * t * b) }
      }
      val g1 = gradient(s1, q2)
      val g2 = gradient(s2, q1)
      val stepped = DoubleArray(d * count) { k ->
        val (j, p) = k / count to k % count
        w0[k] - lr * (0 until b).sumOf { i -> z1.data[i * d + j] * g1[i][p] + z2.data[i * d + j] * g2[i][p] }
      }
      val expected = DoubleArray(d * count) { k -> stepped[k] / sqrt((0 until d).sumOf { stepped[it * count + k % count].let { v -> v * v } }) }

      m.engine.fit(data, null, 1, b, emptyList(), null, false)
      val w1 = m.engine.checkpoint().values.getValue("prototypes/kernel").data
      for (k in expected.indices) {
        if (abs(w1[k] - expected[k]) > 1e-5) throw AssertionError("prototypes/kernel[$k] = ${w1[k]}, expected ${expected[k]} (before the step ${w0[k]})")
      }
      // the step moved the columns off the unit sphere and the after-step op put them back
      val stretched = (0 until count).maxOf { c -> abs(sqrt((0 until d).sumOf { stepped[it * count + c] * stepped[it * count + c] }) - 1) }
      stretched shouldBeGreaterThan 1e-3
      for (c in 0 until count) columnNorm(w1, c) shouldBe (1.0 plusOrMinus 1e-5)
    }
  }

  test("summary: the prototypes as their own row; bad settings fail naming the setting") {
    tiny().use { m ->
      val s = m.summary(print = false)
      s.title shouldBe "swav"
      s.rows.map { it.name } shouldBe listOf("view1", "view2", "encoder", "projector", "prototypes", "swav")
      // projector: 16*16 (no bias before the batch norm) + 4*16 + 16*8 + 8 = 456; prototypes 8*6
      s.rows.map { it.params } shouldBe listOf(0L, 0L, 632L, 456L, 48L, 0L)
      s.trainableParams shouldBe 632L + 424 + 48
      s.nonTrainableParams shouldBe 32L // the projector's moving statistics
    }
    shouldThrow<IllegalArgumentException> { swav { prototypes = 0 } }.message shouldContain "prototypes: expected a number of prototypes > 0, got 0"
  }
})

private fun columnNorm(kernel: FloatArray, column: Int, columns: Int = 6): Double =
  sqrt((0 until kernel.size / columns).sumOf { kernel[it * columns + column].toDouble() * kernel[it * columns + column] })

/**
 * Sinkhorn-Knopp written out from SwAV's pseudo-code: Q = exp(scores / epsilon) as [P, B],
 * normalised to sum 1, then prototypes to 1/P and examples to 1/B alternately, and each example's
 * codes to sum 1 at the end; returned as [B, P].
 */
private fun sinkhorn(scores: Array<DoubleArray>, epsilon: Double, iterations: Int): Array<DoubleArray> {
  val b = scores.size
  val p = scores[0].size
  val q = Array(p) { k -> DoubleArray(b) { i -> exp(scores[i][k] / epsilon) } }
  val total = q.sumOf { it.sum() }
  for (row in q) for (i in 0 until b) row[i] /= total
  repeat(iterations) {
    for (row in q) { val s = row.sum(); for (i in 0 until b) row[i] /= s * p }
    for (i in 0 until b) { val s = (0 until p).sumOf { q[it][i] }; for (k in 0 until p) q[k][i] /= s * b }
  }
  return Array(b) { i -> val s = (0 until p).sumOf { q[it][i] }; DoubleArray(p) { k -> q[k][i] / s } }
}
