package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.supCon
import io.github.kontrast.losses.SupConLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class SupConSpec : FunSpec({
  fun tiny(temperature: Float = 0.1f) = supCon {
    seed = 17
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    loss = supConLoss(temperature)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
  }

  test("trains on two views and class labels: the loss falls; embed gives the encoder's h") {
    tiny().use { m ->
      val h = m.fit(TwoViewData.views(128, seed = 1), epochs = 6, batchSize = 32)
      h.keys shouldBe setOf("loss")
      h.unit shouldBe "images"
      withClue("losses ${h["loss"]}") { h["loss"].last() shouldBeLessThan h["loss"].first() - 0.2 }
      m.embed(TwoViewData.images(8, seed = 9), arrayName = Batch.IMAGE).shape.toList() shouldBe listOf(8, 16)
    }
  }

  test("its loss is the losses module's SupConLoss on the fetched [z1; z2] with labels [class; class]") {
    val data = TwoViewData.fixedViews(16, seed = 2)
    val classes = (data.arrays.getValue(Batch.CLASS) as IntHostArray).data
    tiny(temperature = 0.2f).use { m ->
      lossMatches(m, data, listOf("z1", "z2")) { tf, o ->
        val features = tf.concat(listOf(o.getValue("z1"), o.getValue("z2")), tf.constant(0))
        SupConLoss.create().withTemperature(0.2f).call(tf, features, tf.constant(classes + classes))
      }
    }
  }

  test("summary: the class input among the views; a batch without class labels fails naming the array") {
    tiny().use { m ->
      val s = m.summary(print = false)
      s.title shouldBe "supcon"
      s.rows.map { it.name } shouldBe listOf("view1", "view2", "class", "encoder", "projector", "supcon", "loss_form")
      s.rows.map { it.params } shouldBe listOf(0L, 0L, 0L, 632L, 408L, 0L, 0L)
      val unlabelled = ArrayDataset(TwoViewData.fixedViews(8, seed = 3).arrays.filterKeys { it != Batch.CLASS })
      shouldThrow<IllegalArgumentException> { m.fit(unlabelled, epochs = 1, batchSize = 8) }.message shouldContain "the batch has no array 'class'"
    }
  }
})
