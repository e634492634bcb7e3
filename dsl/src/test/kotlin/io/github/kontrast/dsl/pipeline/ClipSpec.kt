package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.clip
import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Padding
import io.github.kontrast.dsl.layers.maskedMeanPooling
import io.github.kontrast.dsl.layers.positionalEmbedding
import io.github.kontrast.dsl.layers.transformerBlock
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.text.Tokenizer
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.SavedModelBundle
import org.tensorflow.Tensor
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.proto.DataType
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import java.nio.file.Files
import kotlin.math.exp
import kotlin.math.ln

class ClipSpec : FunSpec({
  val train = ClipData.pairs(128, 1)
  val tokenizer = Tokenizer.fit(train.allCaptions, maxLength = 8)

  fun model(lr: Double = 3e-3, maxScale: Float = 100f) = clip {
    seed = 5
    verbosity = Verbosity.SILENT
    image {
      input(8, 8, 3)
      encoder { conv2d(16, 3, activation = relu, padding = Padding.SAME); maxPool(2); flatten(); dense(32, activation = relu) }
      projection(16)
    }
    text {
      this.tokenizer = tokenizer
      encoder { embedding(vocabularySize, 16); positionalEmbedding(); transformerBlock(2, 32); maskedMeanPooling() }
      projection(16)
    }
    maxLogitScale = maxScale
    optimizer = adam(lr)
  }

  test("the temperature starts at 0.07: logit scale log(1 / 0.07), a trainable scalar in the summary") {
    model().use { m ->
      m.logitScale shouldBe ((1 / 0.07).toFloat() plusOrMinus 1e-4f)
      m.temperature shouldBe (0.07f plusOrMinus 1e-6f)
      val s = m.summary(print = false)
      s.rows.map { it.name } shouldBe listOf("image", "tokens", "mask", "image_tower", "text_tower", "logit_scale", "loss_form")
      // image: conv 3*3*3*16+16 = 448, dense 64*16... flatten of 4x4x16 = 256 -> 256*32+32 = 8224, projection 32*16 = 512
      s.rows[3].params shouldBe 448L + 8224 + 512
      s.trainableParams shouldBe s.rows.sumOf { it.params }
    }
  }

  test("the loss is CLIP's symmetric cross-entropy on the scaled cosine matrix, checked against a hand computation") {
    model().use { m ->
      val eval = train.evaluation(tokenizer)
      val n = 12
      val batch = ArrayDataset(eval.batch(IntArray(n) { it * 3 }).arrays)
      val img = m.embed(batch).data
      val txt = m.predict(batch, ClipModel.TEXT_EMBEDDING).let { it as FloatHostArray }.data
      val d = m.embeddingSize
      val scale = m.logitScale.toDouble()
      val logits = Array(n) { i -> DoubleArray(n) { j -> scale * (0 until d).sumOf { img[i * d + it].toDouble() * txt[j * d + it] } } }
      fun ce(row: (Int) -> Double, target: Int): Double {
        val max = (0 until n).maxOf(row)
        return -(row(target) - max - ln((0 until n).sumOf { exp(row(it) - max) }))
      }
      val expected = (0 until n).sumOf { i -> ce({ logits[i][it] }, i) + ce({ logits[it][i] }, i) } / (2 * n)
      m.evaluate(batch, batchSize = n).getValue("loss") shouldBe (expected plusOrMinus 1e-5)
      // the towers end in unit vectors
      (0 until n).forEach { i -> (0 until d).sumOf { img[i * d + it].toDouble() * img[i * d + it] } shouldBe (1.0 plusOrMinus 1e-5) }
    }
  }

  test("training: loss falls, the temperature is learned and reported, recall far above chance both ways") {
    model().use { m ->
      val h = m.fit(train.dataset(tokenizer, seed = 2), epochs = 12, batchSize = 32)
      (h["loss"].first() - h["loss"].last()) shouldBeGreaterThan 1.0
      h.history.keys shouldBe setOf("loss", "temperature", "image_to_text_accuracy", "text_to_image_accuracy")
      h["temperature"].first() shouldBe (0.07 plusOrMinus 0.01)
      (h["temperature"].last() != h["temperature"].first()) shouldBe true
      m.temperature.toDouble() shouldBe (h["temperature"].last() plusOrMinus 0.02)
      val held = ClipData.pairs(64, 9)
      val r = m.retrieval(held, intArrayOf(1, 5))
      println("ClipSpec recall: $r")
      r.textToImageChance.getValue(1) shouldBe (4.0 / 64 plusOrMinus 1e-9) // 4 of the 64 images fit each of the 16 captions
      r.imageToTextChance.getValue(1) shouldBe (1.0 / 16 plusOrMinus 1e-9)
      r.textToImage.getValue(1) shouldBeGreaterThan 0.8
      r.imageToText.getValue(1) shouldBeGreaterThan 0.8
      // the colour alone (chance 0.25): captions always name colour and place together
      val zs = m.zeroShot(ClipData.colours.map { it.first }, listOf("a {} patch", "{}")).accuracy(m.embed(held.images), held.labels)
      println("ClipSpec zero-shot: $zs")
      zs shouldBeGreaterThan 0.5
    }
  }

  test("the logit scale is clamped at log(100) after each step, even when the optimizer pushes it higher") {
    model(lr = 0.5).use { m ->
      val c = m.engine.checkpoint()
      val key = ClipModel.LOGIT_SCALE
      val raised = c.values + (key to Checkpoint.Tensor(IntArray(0), floatArrayOf(ln(150f))))
      m.engine.restore(Checkpoint(c.step, c.epoch, raised))
      m.logitScale shouldBe (150f plusOrMinus 1e-3f)
      m.fit(ArrayDataset(train.evaluation(tokenizer).batch(IntArray(32) { it }).arrays), epochs = 1, batchSize = 32)
      m.logitScale shouldBe (100f plusOrMinus 1e-3f)
    }
    model(lr = 0.05, maxScale = 20f).use { m ->
      repeat(5) {
        m.fit(train.dataset(tokenizer, seed = 2), epochs = 1, batchSize = 32)
        (m.logitScale <= 20f + 1e-4f) shouldBe true
      }
    }
  }

  test("export: both towers reload in fresh SavedModelBundles and give embed's vectors; the vocabulary sits beside the text tower") {
    val dir = Files.createTempDirectory("clip-export")
    model().use { m ->
      m.fit(train.dataset(tokenizer, seed = 2), epochs = 1, batchSize = 32)
      m.export(dir)
      val images = FloatHostArray(train.images.data.copyOf(5 * 8 * 8 * 3), intArrayOf(5, 8, 8, 3))
      val texts = listOf("a red patch at the top left", "blue in the bottom right", "unseen words here", "", "yellow")
      val expectedImages = m.embed(images).data
      val expectedTexts = m.embedTexts(texts).data
      SavedModelBundle.load(dir.resolve("image").toString(), "serve").use { b ->
        val f = b.function("serving_default")
        f.signature().inputNames() shouldBe setOf("image")
        TFloat32.tensorOf(Shape.of(5, 8, 8, 3), DataBuffers.of(images.data, true, false)).use { t ->
          f.call(mapOf("image" to t)).use { r -> read(r.get("embedding").get() as TFloat32).zip(expectedImages.toList()).forEach { (a, e) -> a shouldBe (e plusOrMinus 1e-5f) } }
        }
      }
      val reloaded = Tokenizer.load(dir.resolve("text"))
      reloaded.vocabulary.words shouldBe tokenizer.vocabulary.words
      val enc = reloaded.encode(texts)
      SavedModelBundle.load(dir.resolve("text").toString(), "serve").use { b ->
        val f = b.function("serving_default")
        f.signature().inputNames() shouldBe setOf("tokens", "mask")
        f.signature().inputs.getValue("tokens").dataType shouldBe DataType.DT_INT32
        f.signature().inputs.getValue("tokens").shape.asArray().toList() shouldBe listOf(-1L, 8L)
        TInt32.tensorOf(Shape.of(5, 8), DataBuffers.of(enc.tokens.data, true, false)).use { tk ->
          TFloat32.tensorOf(Shape.of(5, 8), DataBuffers.of(enc.mask.data, true, false)).use { mk ->
            f.call(mapOf<String, Tensor>("tokens" to tk, "mask" to mk)).use { r ->
              read(r.get("embedding").get() as TFloat32).zip(expectedTexts.toList()).forEach { (a, e) -> a shouldBe (e plusOrMinus 1e-5f) }
            }
          }
        }
      }
    }
  }

  test("the same model from Java's builder: equal parameters, equal starting loss") {
    val fromJava = JavaClipUsage.build(tokenizer)
    fromJava.use { j ->
      model().use { k ->
        j.summary(print = false).rows.map { it.params } shouldBe k.summary(print = false).rows.map { it.params }
        val b = ArrayDataset(train.evaluation(tokenizer).batch(IntArray(16) { it }).arrays)
        j.evaluate(b).getValue("loss") shouldBe (k.evaluate(b).getValue("loss") plusOrMinus 1e-6)
      }
    }
  }

  test("bad settings fail at build time, naming what is wrong") {
    shouldThrow<IllegalArgumentException> { clip { image { input(8, 8, 3) } } }.message shouldContain "needs a tokenizer"
    shouldThrow<IllegalArgumentException> {
      clip { image { input(8, 8, 3); projection(8) }; text { this.tokenizer = tokenizer; projection(16) } }
    }.message shouldContain "one embedding size"
    shouldThrow<IllegalArgumentException> {
      clip { image { input(8, 8, 3) }; text { this.tokenizer = tokenizer; encoder { embedding(vocabularySize, 8); positionalEmbedding() } } }
    }.message shouldContain "maskedMeanPooling"
    shouldThrow<IllegalArgumentException> { clip { temperature = 0.001f; text { this.tokenizer = tokenizer } } }.message shouldContain "exceeds maxLogitScale"
    shouldThrow<IllegalArgumentException> {
      clip { image { input(8, 8, 3); encoder { dense(4, activation = Activations.relu) } }; text { this.tokenizer = tokenizer } }
    }.message shouldContain "one vector"
  }
})

private fun read(t: TFloat32): List<Float> {
  val out = FloatArray(t.size().toInt())
  t.copyTo(DataBuffers.of(out, false, false))
  return out.toList()
}
