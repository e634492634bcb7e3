package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.engine.MomentumSchedule
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.sequential
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.NegativeCosineLoss
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.SavedModelBundle
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.proto.DataType
import org.tensorflow.types.TFloat32
import java.nio.file.Files
import java.nio.file.Path
import kotlin.math.abs

/**
 * A method written on the [Pipeline] base the way SimCLR or the contrastive VAE will be: pairs of
 * 6x6 images through one encoder with batch norm, a preprocessing step inside the graph, two
 * weighted loss terms, and an int output (the index of each embedding's largest component).
 */
private class ProbeModel(encoder: Sequential, normWeight: Double, unusedVariable: Boolean = false) : Pipeline(
  PipelineSettings(seed = 5, optimizer = adam(1e-2), verbosity = Verbosity.SILENT),
  "pairs",
  GraphDefinition { g ->
    val shape = intArrayOf(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
    g.floatInput(Batch.FIRST, shape)
    val second = g.floatInput(Batch.SECOND, shape)
    val label = g.floatInput(Batch.LABEL, IntArray(0))
    val instance = g.encoder(encoder, shape)
    val e1 = g.embedding(Batch.FIRST, instance, CENTRE)
    val e2 = instance.apply(g.forward, CENTRE.apply(g.tf, second))
    val tf = g.tf
    g.addLoss("contrastive", ContrastiveLoss.create().call(tf, e1, e2, label))
    g.addLoss("norm", tf.math.mean(tf.math.square(e1), tf.constant(intArrayOf(0, 1))), normWeight)
    g.addOutput("largest", tf.math.argMax(e1, tf.constant(1)))
    if (unusedVariable) g.variables.variable("probe/unused", intArrayOf(3), Initializers.ones(), trainable = true)
  },
) {
  override val name get() = "probe"

  override fun summaryRows() = listOf(ModelSummary.Row(Batch.FIRST, "InputLayer", "", 0))

  companion object {
    /** Pixels in [0, 1] to [-1, 1], inside the graph. */
    val CENTRE = Preprocessing { tf, x -> tf.math.mul(tf.math.sub(x, tf.constant(0.5f)), tf.constant(2f)) }
  }
}

/** README's example of a method on the base, verbatim: BYOL with an EMA target (no symmetrised loss, for brevity). */
private class Byol(settings: PipelineSettings, private val encoder: Sequential, predictor: Sequential, private val shape: IntArray, steps: Long) :
  Pipeline(settings, "images", GraphDefinition { g ->
    g.floatInput(Batch.VIEW1, shape); val view2 = g.floatInput(Batch.VIEW2, shape)
    val online = g.encoder(encoder, shape, scope = "online")
    val target = g.momentumCopy(online, MomentumSchedule.cosine(0.99, steps), scope = "target") // EMA, frozen
    val p = g.encoder(predictor, online.outputShape).apply(g.forward, g.embedding(Batch.VIEW1, online))
    val z = g.tf.stopGradient(target.apply(g.forward, view2))
    g.addLoss("byol", NegativeCosineLoss.create().call(g.tf, p, z))
  }) {
  override val name get() = "byol"
  override fun summaryRows() = listOf(ModelSummary.Row("online", "Sequential", ModelSummary.shape(encoder.outputShape(shape)), 0))
}

class PipelineSpec : FunSpec({
  val train = SyntheticPairs.pairs(128, seed = 1)
  val valid = SyntheticPairs.pairs(32, seed = 2)
  fun encoder() = sequential { conv2d(4, 2, activation = relu); batchNorm(); flatten(); dense(3) }

  test("a method on the base: loss terms next to the total, an int output, the embedding, its summary") {
    ProbeModel(encoder(), normWeight = 0.1).use { m ->
      val h = m.fit(train, valid, epochs = 2, batchSize = 32)
      h.keys shouldBe setOf("loss", "contrastive_loss", "norm_loss", "val_loss", "val_contrastive_loss", "val_norm_loss")
      h.unit shouldBe "pairs"
      for (prefix in listOf("", "val_")) {
        for (e in 0 until 2) {
          val total = h["${prefix}loss"][e]
          total shouldBe (h["${prefix}contrastive_loss"][e] + 0.1 * h["${prefix}norm_loss"][e] plusOrMinus 1e-6 * maxOf(1.0, abs(total)))
        }
      }
      // the int output is the host's argmax of the embedding, example by example
      val largest = m.predict(valid, "largest", 7) as IntHostArray
      val embeddings = m.embed(valid, 5)
      embeddings.shape.toList() shouldBe listOf(32, 3)
      largest.data.toList() shouldBe (0 until 32).map { r -> (0 until 3).maxByOrNull { embeddings.data[r * 3 + it] }!! }
      val images = valid.batch(IntArray(32) { it })[Batch.FIRST] as FloatHostArray
      m.embed(images, 32).data.toList() shouldBe m.embed(valid, 32).data.toList()
      m.outputs shouldBe setOf("embedding", "largest")
      // conv 2*2*1*4 + 4 = 20, batch norm gamma and beta 8, dense 100*3 + 3 = 303; the moving statistics
      // are not trainable; Adam's slots are optimizer state and not counted
      val s = m.summary(print = false)
      s.trainableParams shouldBe 331L
      s.nonTrainableParams shouldBe 8L
      s.title shouldBe "probe"
    }
  }

  test("a trainable variable the loss does not reach fails when the pipeline is built, naming it") {
    val e = shouldThrow<IllegalArgumentException> { ProbeModel(encoder(), normWeight = 0.1, unusedVariable = true) }
    e.message shouldContain "'probe/unused'"
  }

  test("export writes a SavedModel whose serving_default gives embed's embeddings (preprocessing and batch norm inside)") {
    val dir = tempdir().toPath().resolve("probe-model")
    ProbeModel(encoder(), normWeight = 0.1).use { m ->
      m.fit(train, epochs = 2, batchSize = 32) // moves the batch-norm statistics away from their start
      val images = valid.batch(IntArray(32) { it })[Batch.FIRST] as FloatHostArray
      val expected = m.embed(images, 32)
      m.export(dir)
      Files.isRegularFile(dir.resolve("saved_model.pb")) shouldBe true
      Files.isRegularFile(dir.resolve("variables/variables.index")) shouldBe true
      maxDifference(servingEmbeddings(dir, images, intArrayOf(6, 6, 1)), expected) shouldBeLessThan 1e-5
      // a second export replaces the first
      m.fit(train, epochs = 1, batchSize = 32)
      m.export(dir)
      maxDifference(servingEmbeddings(dir, images, intArrayOf(6, 6, 1)), m.embed(images, 32)) shouldBeLessThan 1e-5
    }
  }

  test("a Siamese model's export: the twin in inference mode (no dropout), one vector per image") {
    val dir = tempdir().toPath().resolve("siamese-model")
    siamese {
      seed = 9
      input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
      encoder { conv2d(8, 2, activation = relu); maxPool(2); dropout(0.5); flatten(); dense(8) }
      verbosity = Verbosity.SILENT
    }.use { m ->
      m.fit(train, epochs = 1, batchSize = 32)
      val images = valid.batch(IntArray(32) { it })[Batch.SECOND] as FloatHostArray
      m.export(dir)
      val served = servingEmbeddings(dir, images, intArrayOf(6, 6, 1))
      served.shape.toList() shouldBe listOf(32, 8)
      maxDifference(served, m.embed(images, 16)) shouldBeLessThan 1e-5
    }
  }

  test("export refuses a path that is a file") {
    val file = tempdir().toPath().resolve("a-file").also { Files.writeString(it, "x") }
    siamese { input(6, 6, 1); encoder { flatten(); dense(2) }; verbosity = Verbosity.SILENT }.use { m ->
      shouldThrow<IllegalArgumentException> { m.export(file) }.message shouldContain "not a directory"
    }
  }

  test("quiet is a shorthand for the epoch lines; verbosity silences everything") {
    siamese { input(6, 6, 1); encoder { flatten(); dense(2) }; quiet = true }.use { m ->
      m.verbosity shouldBe Verbosity.EPOCHS
      m.quiet = false
      m.verbosity shouldBe Verbosity.PROGRESS_BAR
      m.verbosity = Verbosity.SILENT
      m.quiet shouldBe true
    }
    Siamese.builder().quiet(true).verbosity shouldBe Verbosity.EPOCHS
  }
  test("README's BYOL: an EMA target that follows the online encoder, a new unit, the base's embed") {
    val views = SyntheticPairs.pairs(64, seed = 4).let { d ->
      val all = d.batch(IntArray(64) { it })
      io.github.kontrast.dsl.data.ArrayDataset(mapOf(Batch.VIEW1 to all[Batch.FIRST], Batch.VIEW2 to all[Batch.FIRST]))
    }
    val settings = PipelineSettings(seed = 2, optimizer = adam(1e-2), verbosity = Verbosity.SILENT)
    Byol(settings, sequential { flatten(); dense(4) }, sequential { dense(4) }, intArrayOf(6, 6, 1), steps = 8).use { m ->
      val before = m.engine.checkpoint().values
      before.getValue("target/dense/kernel").data.toList() shouldBe before.getValue("online/dense/kernel").data.toList()
      val h = m.fit(views, epochs = 2, batchSize = 16)
      h.unit shouldBe "images"
      h.keys shouldBe setOf("loss")
      val after = m.engine.checkpoint().values
      val target = after.getValue("target/dense/kernel").data
      (target.toList() != before.getValue("target/dense/kernel").data.toList()) shouldBe true // it moved
      (target.toList() != after.getValue("online/dense/kernel").data.toList()) shouldBe true // but lags behind
      m.embed(views, 16).shape.toList() shouldBe listOf(64, 4)
      m.summary(print = false).nonTrainableParams shouldBe (6 * 6 * 4 + 4).toLong() // the target's copy of the encoder
    }
  }
})

/** Loads [dir] in a fresh SavedModelBundle and runs its serving_default signature on [images]. */
private fun servingEmbeddings(dir: Path, images: FloatHostArray, perExample: IntArray): FloatHostArray =
  SavedModelBundle.load(dir.toString(), "serve").use { bundle ->
    val f = bundle.function("serving_default")
    f.signature().inputNames() shouldBe setOf("image")
    f.signature().outputNames() shouldBe setOf("embedding")
    val input = f.signature().inputs.getValue("image")
    input.dataType shouldBe DataType.DT_FLOAT
    input.shape.asArray().toList() shouldBe listOf(-1L) + perExample.map { it.toLong() } // Shape.equals treats unknown dimensions as unequal
    f.signature().outputs.getValue("embedding").dataType shouldBe DataType.DT_FLOAT
    val shape = Shape.of(*images.shape.map { it.toLong() }.toLongArray())
    TFloat32.tensorOf(shape, DataBuffers.of(images.data, true, false)).use { x ->
      f.call(mapOf("image" to x)).use { r ->
        val t = r.get("embedding").get() as TFloat32
        val out = FloatArray(t.size().toInt())
        t.copyTo(DataBuffers.of(out, false, false))
        FloatHostArray(out, t.shape().asArray().map { it.toInt() }.toIntArray())
      }
    }
  }

private fun maxDifference(a: FloatHostArray, b: FloatHostArray): Double {
  a.shape.toList() shouldBe b.shape.toList()
  return a.data.indices.maxOf { abs(a.data[it] - b.data[it]).toDouble() }
}
