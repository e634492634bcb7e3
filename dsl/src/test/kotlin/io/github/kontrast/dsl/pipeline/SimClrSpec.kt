package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.simclr
import io.github.kontrast.losses.NtXentLoss
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe

class SimClrSpec : FunSpec({
  fun tiny(temperature: Float = 0.5f) = simclr {
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    loss = ntXent(temperature)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  test("trains on two views: the loss falls, History counts images, embed gives the encoder's h") {
    tiny().use { m ->
      val h = m.fit(TwoViewData.views(128, seed = 1), epochs = 6, batchSize = 32)
      h.keys shouldBe setOf("loss")
      h.unit shouldBe "images"
      h["loss"].last() shouldBeLessThan h["loss"].first() - 0.2
      h.examplesPerSecond() shouldBeGreaterThan 0.0
      val test = TwoViewData.images(40, seed = 9)
      val e = m.embed(test.arrays.getValue(Batch.IMAGE) as io.github.kontrast.dsl.data.FloatHostArray)
      e.shape.toList() shouldBe listOf(40, 16) // h, not the 8 numbers of z
      m.embed(test, arrayName = Batch.IMAGE).data.toList() shouldBe e.data.toList()
      m.representationShape.toList() shouldBe listOf(16)
      m.projectionShape.toList() shouldBe listOf(8)
    }
  }

  test("its loss is the losses module's NT-Xent on the fetched projections, in inference and in a training step") {
    tiny(temperature = 0.3f).use { m ->
      lossMatches(m, TwoViewData.fixedViews(24, seed = 2), listOf("z1", "z2")) { tf, o ->
        NtXentLoss.create().withTemperature(0.3f).call(tf, o.getValue("z1"), o.getValue("z2"))
      }
    }
  }

  test("summary: views, the shared encoder and projector with their parameters, the loss") {
    tiny().use { m ->
      val s = m.summary(print = false)
      s.title shouldBe "simclr"
      s.rows.map { it.name } shouldBe listOf("view1", "view2", "encoder", "projector", "nt_xent", "loss_form")
      // conv 3*3*1*4 + 4 = 40, dense 36*16 + 16 = 592; projector 16*16 + 16 = 272, 16*8 + 8 = 136
      s.rows.map { it.params } shouldBe listOf(0L, 0L, 632L, 408L, 0L, 0L)
      s.rows[2].outputShape shouldBe "(None, 16)"
      s.trainableParams shouldBe 1040L
      s.nonTrainableParams shouldBe 0L
    }
  }
})
