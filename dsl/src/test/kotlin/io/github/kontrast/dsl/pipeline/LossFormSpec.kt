package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.clip
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.maskedMeanPooling
import io.github.kontrast.dsl.simclr
import io.github.kontrast.dsl.supCon
import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.losses.NtXentLoss
import io.github.kontrast.losses.SupConLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs

class LossFormSpec : FunSpec({
  fun simClr(batch: Int?, configure: SimClrBuilder.() -> Unit = {}) = simclr {
    seed = 3
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
    batchSize = batch
    configure()
  }

  fun supConModel(batch: Int?, configure: SupConBuilder.() -> Unit = {}) = supCon {
    seed = 17
    input(*TwoViewData.SHAPE)
    encoder(TwoViewData.encoder())
    projector = mlp(16, 8)
    optimizer = adam(1e-2)
    verbosity = TwoViewData.SILENT
    batchSize = batch
    configure()
  }

  fun summaryText(m: Pipeline): String = m.summary(print = false).toString()

  test("the automatic threshold: a [2B, 2B] matrix of 4096 x 4096 = 2^24 elements stays whole, 4098 x 4098 is chunked") {
    LossForm.CHUNK_ABOVE_ELEMENTS shouldBe 16_777_216L
    LossForm.AUTO.plan(4096, 4096, 0).chunkRows shouldBe 0
    LossForm.AUTO.plan(4098, 4098, 0).chunkRows shouldBe 1024
    LossForm.AUTO.plan(4097, 4096, 0).chunkRows shouldBe 1024 // 16,781,312 elements
    LossForm.auto(aboveElements = 99, rows = 7).plan(10, 10, 0).chunkRows shouldBe 7
    LossForm.auto(aboveElements = 100, rows = 7).plan(10, 10, 0).chunkRows shouldBe 0

    simClr(batch = 2048).use { m ->
      m.lossPlan.chunked shouldBe false
      m.loss.chunkRows() shouldBe 0
      summaryText(m) shouldContain "full matrix (auto: at most 16777216 elements)"
      summaryText(m) shouldContain "(4096, 4096)"
    }
    simClr(batch = 2049).use { m ->
      m.lossPlan.chunkRows shouldBe 1024
      m.loss.chunkRows() shouldBe 1024
      val text = summaryText(m)
      text shouldContain "loss_form"
      text shouldContain "chunked, 1024-row blocks (auto: above 16777216 elements)"
      text shouldContain "(4098, 4098)"
    }
  }

  test("without a static batch size AUTO keeps the full matrix, and asking for blocks fails naming batchSize") {
    simClr(batch = null).use { m ->
      m.lossPlan.chunked shouldBe false
      m.batchSize shouldBe null
      summaryText(m) shouldContain "full matrix (batch size not static)"
      summaryText(m) shouldContain "(?, ?)"
    }
    shouldThrow<IllegalArgumentException> { simClr(batch = null) { chunkRows(256) } }.message shouldContain "batchSize"
    shouldThrow<IllegalArgumentException> { simClr(batch = null) { loss = NtXentLoss.create().withChunkRows(64) } }.message shouldContain "static batch size"
    shouldThrow<IllegalArgumentException> { LossForm.chunkRows(0) }.message shouldContain "got 0"
    shouldThrow<IllegalArgumentException> { simClr(batch = 0) }.message shouldContain "batchSize"
  }

  test("overrides: fullMatrix() above the threshold, chunkRows(n) below it, the loss's own chunking, and fullMatrix() over it") {
    supConModel(batch = 4096) { fullMatrix() }.use { m ->
      m.lossPlan.chunked shouldBe false
      summaryText(m) shouldContain "full matrix (set)"
    }
    supConModel(batch = 8) { chunkRows(3) }.use { m ->
      m.loss.chunkRows() shouldBe 3
      summaryText(m) shouldContain "chunked, 3-row blocks (set)"
      summaryText(m) shouldContain "(16, 16)"
    }
    supConModel(batch = 8) { loss = SupConLoss.create().withChunkRows(5) }.use { m ->
      m.loss.chunkRows() shouldBe 5
      summaryText(m) shouldContain "chunked, 5-row blocks (the loss's)"
    }
    supConModel(batch = 8) { loss = SupConLoss.create().withChunkRows(5); fullMatrix() }.use { m -> m.loss.chunkRows() shouldBe 0 }
  }

  test("SimCLR: the chunked and the full form give the same loss, the same update, and the losses module's full NT-Xent") {
    val data = TwoViewData.fixedViews(8, seed = 4)
    val images = TwoViewData.images(8, seed = 9).arrays.getValue(io.github.kontrast.dsl.data.Batch.IMAGE) as FloatHostArray
    val chunked = JavaLossFormUsage.chunkedSimClr(TwoViewData.encoder(), 8, 3)
    val full = JavaLossFormUsage.fullSimClr(TwoViewData.encoder(), 8)
    chunked.use { c ->
      full.use { f ->
        c.loss.chunkRows() shouldBe 3
        f.loss.chunkRows() shouldBe 0
        val before = c.evaluate(data).getValue("loss")
        before shouldBe (f.evaluate(data).getValue("loss") plusOrMinus 1e-5 * before)
        // the training step's loss against the full form computed eagerly from the losses module on z1, z2
        val trained = lossMatches(c, data, listOf(SelfSupervisedModel.Z1, SelfSupervisedModel.Z2)) { tf, o ->
          NtXentLoss.create().withTemperature(c.loss.temperature()).call(tf, o.getValue(SelfSupervisedModel.Z1), o.getValue(SelfSupervisedModel.Z2))
        }
        val trainedFull = lossMatches(f, data, listOf(SelfSupervisedModel.Z1, SelfSupervisedModel.Z2)) { tf, o ->
          NtXentLoss.create().withTemperature(c.loss.temperature()).call(tf, o.getValue(SelfSupervisedModel.Z1), o.getValue(SelfSupervisedModel.Z2))
        }
        trained shouldBe (trainedFull plusOrMinus 1e-5 * trainedFull)
        // after the same SGD update both encoders embed alike: the gradients agree
        maxAbsDiff(c.embed(images), f.embed(images)) shouldBe (0.0 plusOrMinus 1e-5)
        c.evaluate(data).getValue("loss") shouldBe (f.evaluate(data).getValue("loss") plusOrMinus 1e-5)
      }
    }
  }

  test("SupCon: chunked and full give the same loss") {
    val data = TwoViewData.fixedViews(8, seed = 6)
    supConModel(batch = 8) { chunkRows(5) }.use { c ->
      supConModel(batch = 8) { fullMatrix() }.use { f ->
        val lc = c.evaluate(data).getValue("loss")
        lc shouldBe (f.evaluate(data).getValue("loss") plusOrMinus 1e-5 * lc)
        val tc = c.fit(data, epochs = 1)["loss"].single()
        tc shouldBe (f.fit(data, epochs = 1)["loss"].single() plusOrMinus 1e-5 * tc)
      }
    }
  }

  test("CLIP: a lower automatic threshold chunks [B, B] logits, with the full form's loss") {
    val pairs = ClipData.pairs(16, seed = 2)
    val tokenizer = Tokenizer.fit(pairs.allCaptions, maxLength = 8)
    fun model(form: LossForm) = clip {
      seed = 5
      verbosity = Verbosity.SILENT
      batchSize = 8
      lossForm = form
      image { input(8, 8, 3); encoder { flatten(); dense(16, activation = relu) }; projection(8) }
      text { this.tokenizer = tokenizer; encoder { embedding(vocabularySize, 8); maskedMeanPooling() }; projection(8) }
    }
    val data = pairs.dataset(tokenizer, randomCaption = false)
    model(LossForm.auto(aboveElements = 63, rows = 3)).use { c ->
      model(LossForm.AUTO).use { f ->
        c.loss.chunkRows() shouldBe 3
        f.loss.chunkRows() shouldBe 0
        summaryText(c) shouldContain "chunked, 3-row blocks (auto: above 63 elements)"
        summaryText(f) shouldContain "full matrix (auto: at most 16777216 elements)"
        val lc = c.evaluate(data).getValue("loss")
        lc shouldBe (f.evaluate(data).getValue("loss") plusOrMinus 1e-5 * lc)
      }
    }
  }

  test("a static batch size: fit and evaluate use it by default, refuse another, and drop a last smaller batch") {
    val data = TwoViewData.fixedViews(12, seed = 1)
    simClr(batch = 8) { chunkRows(4) }.use { m ->
      val h = m.fit(data, epochs = 1) // 12 examples: one batch of 8, the last 4 dropped (a reshape to 8 would fail on them)
      h["loss"].single().isFinite() shouldBe true
      m.step shouldBe 1L
      shouldThrow<IllegalArgumentException> { m.fit(data, batchSize = 4) }.message shouldContain "built for batches of 8"
      shouldThrow<IllegalArgumentException> { m.evaluate(TwoViewData.fixedViews(5, seed = 1)) }.message shouldContain "fewer than one batch of 8"
      m.embed(TwoViewData.images(5, seed = 2).arrays.getValue(io.github.kontrast.dsl.data.Batch.IMAGE) as FloatHostArray).shape[0] shouldBe 5
    }
  }
})

private fun maxAbsDiff(a: FloatHostArray, b: FloatHostArray): Double {
  require(a.shape.contentEquals(b.shape)) { "shapes differ" }
  var m = 0.0
  for (i in a.data.indices) m = maxOf(m, abs((a.data[i] - b.data[i]).toDouble()))
  return m
}
