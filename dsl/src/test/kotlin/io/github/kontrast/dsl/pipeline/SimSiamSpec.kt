package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.simsiam
import io.github.kontrast.losses.NegativeCosineLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.sqrt

class SimSiamSpec : FunSpec({
  // SimSiam's head structure, narrowed; the encoder ends in a linear layer (h cannot die as a whole ReLU layer can)
  fun tiny(stopGradient: Boolean = true) = simsiam {
    seed = 5
    input(*TwoViewData.SHAPE)
    encoder { conv2d(4, 3, activation = relu); maxPool(2); flatten(); dense(16) }
    projector = mlp(16, 16, batchNorm = true, lastBatchNorm = true)
    predictor = mlp(4, 16, batchNorm = true, name = "predictor")
    this.stopGradient = stopGradient
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  test("its loss is the losses module's negative cosine on the fetched predictions and projections, with and without the stop-gradient") {
    for (stop in listOf(true, false)) {
      tiny(stop).use { m ->
        lossMatches(m, TwoViewData.fixedViews(16, seed = 2), listOf("p1", "p2", "z1", "z2")) { tf, o ->
          NegativeCosineLoss.create().call(tf, o.getValue("p1"), o.getValue("p2"), o.getValue("z1"), o.getValue("z2"))
        }
      }
    }
  }

  test("without the stop-gradient it collapses (the normalised outputs' per-dimension std goes to 0, the loss to -1); with it, it does not") {
    val train = TwoViewData.views(128, seed = 1)
    val probe = TwoViewData.fixedViews(64, seed = 7)
    class Run(val z: Double, val h: Double, val losses: List<Double>) {
      override fun toString() = "std of z $z, of h $h, losses $losses"
    }
    fun run(stop: Boolean): Run = tiny(stop).use { m ->
      val history = m.fit(train, epochs = 24, batchSize = 32)
      // z as the training step sees it (batch statistics in the heads' batch norms), as the paper measures it
      val z = m.engine.fetch(probe.batch(IntArray(64) { it }), listOf("z1"), training = true).getValue("z1") as FloatHostArray
      Run(collapseStd(z), collapseStd(m.embed(probe)), history["loss"])
    }
    val collapsed = run(stop = false)
    val healthy = run(stop = true)
    val uniform = 1 / sqrt(16.0) // the std of unit vectors spread evenly over 16 dimensions (z and h alike)
    withClue("without stop-gradient: $collapsed; with: $healthy") {
      collapsed.z shouldBeLessThan 0.01 * uniform
      collapsed.h shouldBeLessThan 0.01 * uniform // every image gets the same representation
      collapsed.losses.last() shouldBeLessThan -0.999 // cosine 1 between every p and every z: the trivial minimum
      healthy.z shouldBeGreaterThan 0.5 * uniform
      healthy.h shouldBeGreaterThan 0.5 * uniform
      healthy.losses.last() shouldBeGreaterThan -0.99
    }
  }

  test("summary: predictor row, the loss named with its stop-gradient") {
    tiny(stopGradient = false).use { m ->
      val s = m.summary(print = false)
      s.title shouldBe "simsiam"
      s.rows.map { it.name } shouldBe listOf("view1", "view2", "encoder", "projector", "predictor", "simsiam")
      s.rows.last().type shouldContain "NO stop-gradient"
      m.embed(TwoViewData.images(8, 1).arrays.getValue(Batch.IMAGE) as FloatHostArray).shape.toList() shouldBe listOf(8, 16)
    }
  }

  test("a predictor that does not give the projection's size fails naming it") {
    shouldThrow<IllegalArgumentException> {
      simsiam { input(*TwoViewData.SHAPE); encoder(TwoViewData.encoder()); projector = mlp(16, 8); predictor = mlp(4, 5, name = "predictor") }
    }.message shouldContain "the predictor 'predictor' must give the projector's size (None, 8) (p is compared with z), it gives (None, 5)"
  }
})

/**
 * SimSiam's collapse measure: the standard deviation over examples of each dimension of the
 * L2-normalised outputs, averaged over dimensions: 0 when every output is the same vector, about
 * 1/sqrt(D) when they spread over the sphere.
 */
fun collapseStd(z: FloatHostArray): Double {
  val n = z.shape[0]
  val d = z.shape[1]
  val unit = Array(n) { i -> z.row(i).let { r -> val l = sqrt(r.sumOf { it * it }); DoubleArray(d) { r[it] / l } } }
  return (0 until d).map { j ->
    val mean = unit.sumOf { it[j] } / n
    sqrt(unit.sumOf { (it[j] - mean) * (it[j] - mean) } / n)
  }.average()
}
