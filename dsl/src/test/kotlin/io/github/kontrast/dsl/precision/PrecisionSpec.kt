package io.github.kontrast.dsl.precision

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.optim.LearningRateSchedule
import io.github.kontrast.dsl.optim.Sgd
import io.github.kontrast.dsl.pipeline.SiameseModel
import io.github.kontrast.dsl.pipeline.SyntheticPairs
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.proto.DataType
import kotlin.math.abs

/**
 * Mixed precision: float32 unchanged, bfloat16 close to float32 with float32 master weights, and
 * float16's loss scaling on a graph small enough to follow by hand.
 */
class PrecisionSpec : FunSpec({
  val data = SyntheticPairs.pairs(64, 7)

  fun tiny(precision: Precision?) = siamese {
    seed = 42
    input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
    encoder {
      conv2d(8, 2, activation = relu)
      maxPool(2)
      dropout(0.2)
      flatten()
      dense(8)
    }
    loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
    optimizer = adam(1e-2)
    threshold = 0.5f
    verbosity = Verbosity.SILENT
    if (precision != null) this.precision = precision
  }

  fun weights(m: SiameseModel, dir: java.io.File): Map<String, FloatArray> {
    val path = dir.toPath().resolve("w.ckpt")
    m.save(path)
    return Checkpoint.read(path).values.mapValues { it.value.data }
  }

  test("float32 set explicitly trains bit for bit as no precision setting") {
    val dir = tempdir()
    val (lossA, wA) = tiny(null).use { m -> m.fit(data, epochs = 2, batchSize = 16)["loss"] to weights(m, dir) }
    val (lossB, wB) = tiny(Precision.FLOAT32).use { m -> m.fit(data, epochs = 2, batchSize = 16)["loss"] to weights(m, dir) }
    lossA.map { it.toRawBits() } shouldBe lossB.map { it.toRawBits() }
    wA.keys shouldBe wB.keys
    wA.forEach { (k, v) -> v.map { it.toRawBits() } shouldBe wB.getValue(k).map { it.toRawBits() } }
  }

  test("a bfloat16 encoder computes its convolution and matmul in bfloat16 and returns float32") {
    GraphBuilder(1, precision = Precision.BFLOAT16).use { g ->
      val model = Sequential.builder().conv2d(4, 2, Activations.relu).maxPool(2).batchNorm().flatten().dense(3, Activations.gelu).build()
      val x = g.floatInput("x", intArrayOf(6, 6, 1))
      val y = model.instantiate(g.variables, intArrayOf(6, 6, 1)).apply(g.forward, x)
      y.asOutput().dataType() shouldBe DataType.DT_FLOAT
      val types = g.graph.operations().asSequence().filter { it.numOutputs() > 0 }.associate { it.type() + ":" + it.name() to it.output<org.tensorflow.types.family.TType>(0).dataType() }
      types.filterKeys { it.startsWith("Conv2D:") }.values.toSet() shouldBe setOf(DataType.DT_BFLOAT16)
      types.filterKeys { it.startsWith("MatMul:") }.values.toSet() shouldBe setOf(DataType.DT_BFLOAT16)
      types.filterKeys { it.startsWith("MaxPool") }.values.toSet() shouldBe setOf(DataType.DT_BFLOAT16)
      // batch norm stays float32: its mean and variance want float32 sums
      types.filterKeys { it.startsWith("Rsqrt:") }.values.toSet() shouldBe setOf(DataType.DT_FLOAT)
      types.filterKeys { it.startsWith("Variable") }.values.toSet() shouldBe setOf(DataType.DT_FLOAT_REF)
    }
  }

  test("the bfloat16 forward pass is float32's to bfloat16 tolerance, and not identical to it") {
    val images = data.batch(IntArray(64) { it }).arrays.getValue(io.github.kontrast.dsl.data.Batch.FIRST) as FloatHostArray
    val full = tiny(null).use { it.embed(images).data }
    val half = tiny(Precision.BFLOAT16).use { it.embed(images).data }
    val scale = full.maxOf { abs(it) }.toDouble()
    val worst = full.indices.maxOf { abs(full[it] - half[it]).toDouble() }
    // bfloat16 keeps 8 significant bits (relative step 2^-8 = 0.0039); two layers and their casts stay within a few steps
    worst shouldBeLessThan 0.02 * scale
    worst shouldBeGreaterThan 0.0
  }

  test("bfloat16 training keeps float32 master weights (low 16 bits in use) that all move, with finite, falling losses") {
    val dir = tempdir()
    val before = tiny(Precision.BFLOAT16).use { weights(it, dir) }
    tiny(Precision.BFLOAT16).use { m ->
      m.precision shouldBe Precision.BFLOAT16
      val h = m.fit(data, epochs = 3, batchSize = 16)
      h["loss"].forEach { it.isFinite() shouldBe true }
      h["loss"].last() shouldBeLessThan h["loss"].first()
      val after = weights(m, dir)
      val kernel = "siamese_twin/dense/kernel"
      val a = after.getValue(kernel)
      val b = before.getValue(kernel)
      a.all { it.isFinite() } shouldBe true
      // a weight kept in bfloat16 would have its low 16 bits zero; float32 master weights do not
      a.count { it.toRawBits() and 0xFFFF != 0 }.toDouble() shouldBeGreaterThan 0.9 * a.size
      a.indices.count { a[it] != b[it] }.toDouble() shouldBeGreaterThan 0.9 * a.size
    }
  }

  /**
   * Prediction w * x + c, loss mean((w x + c - t)^2), SGD lr 0.1; one step from w = 1, c = 0 on
   * x = (1, 2), t = (3, 5): dL/dw = -8, dL/dc = -5, so w = 1.8, c = 0.5 (EngineSpec's hand case).
   * Scaled by s, the gradients are -8 s and -5 s: float32 overflows when 8 s >= 2^128.
   */
  class Linear(precision: Precision) : AutoCloseable {
    val g = GraphBuilder(1, precision = precision)
    val trainer: Trainer

    init {
      val tf = g.tf
      val x = g.floatInput("x", IntArray(0))
      val t = g.floatInput("t", IntArray(0))
      val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
      val c = g.variables.variable("c", intArrayOf(1), Initializers.zeros(), trainable = true)
      val r = tf.math.sub(tf.math.add(tf.math.mul(x, w), c), t)
      val loss = tf.math.mean(tf.math.square(r), tf.constant(0))
      trainer = Trainer(g.compile(loss, optimizer = Sgd(LearningRateSchedule { 0.1 })))
      trainer.verbosity = Verbosity.SILENT
    }

    fun value(name: String) = trainer.checkpoint().values.getValue(name).data[0].toDouble()

    override fun close() = trainer.close()
  }

  val line = ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f), intArrayOf(2)), "t" to FloatHostArray(floatArrayOf(3f, 5f), intArrayOf(2))))

  test("a fixed loss scale gives the unscaled update and reports the unscaled loss") {
    Linear(Precision.FLOAT16.withLossScale(LossScale.fixed(1024.0))).use { m ->
      m.trainer.fit(line, epochs = 1, batchSize = 2)["loss"].single() shouldBe (6.5 plusOrMinus 1e-6)
      m.value("w") shouldBe (1.8 plusOrMinus 1e-6)
      m.value("c") shouldBe (0.5 plusOrMinus 1e-6)
      m.value("kontrast/loss_scale") shouldBe 1024.0
    }
  }

  test("a dynamic loss scale skips overflowing steps, halving the scale, and doubles it after its growth interval") {
    Linear(Precision.FLOAT16.withLossScale(LossScale.dynamic(Math.scalb(1.0, 127), growthInterval = 2))).use { m ->
      // 8 * 2^127, 8 * 2^126 and 8 * 2^125 overflow float32: three skipped steps, w and c untouched
      for (expected in listOf(126, 125, 124)) {
        m.trainer.fit(line, epochs = 1, batchSize = 2)["loss"].single() shouldBe (6.5 plusOrMinus 1e-6)
        m.value("w") shouldBe 1.0
        m.value("c") shouldBe 0.0
        m.value("kontrast/loss_scale") shouldBe Math.scalb(1.0, expected)
      }
      // 8 * 2^124 = 2^127 is finite: the step is the unscaled one
      m.trainer.fit(line, epochs = 1, batchSize = 2)
      m.value("w") shouldBe (1.8 plusOrMinus 1e-6)
      m.value("c") shouldBe (0.5 plusOrMinus 1e-6)
      m.value("kontrast/loss_scale") shouldBe Math.scalb(1.0, 124)
      m.value("kontrast/loss_scale_good_steps") shouldBe 1.0
      // the second finite step in a row doubles the scale
      m.trainer.fit(line, epochs = 1, batchSize = 2)
      m.value("kontrast/loss_scale") shouldBe Math.scalb(1.0, 125)
      m.value("kontrast/loss_scale_good_steps") shouldBe 0.0
    }
  }

  test("a float16 encoder trains with its default dynamic loss scale to finite losses") {
    tiny(Precision.FLOAT16).use { m ->
      val h = m.fit(data, epochs = 2, batchSize = 16)
      h["loss"].forEach { it.isFinite() shouldBe true }
      h["loss"].last() shouldBeLessThan h["loss"].first()
    }
  }

  test("bad precision settings fail naming the argument") {
    shouldThrow<IllegalArgumentException> { Precision.of("int8") }.message shouldContain "precision: expected float32, bfloat16 (bf16) or float16 (fp16), got 'int8'"
    shouldThrow<IllegalArgumentException> { LossScale.fixed(0.5) }.message shouldContain "scale: expected a finite value >= 1, got 0.5"
    shouldThrow<IllegalArgumentException> { LossScale.dynamic(growthInterval = 0) }.message shouldContain "growthInterval: expected > 0, got 0"
    shouldThrow<IllegalArgumentException> { Precision.FLOAT32.withLossScale(LossScale.fixed(8.0)) }.message shouldContain "float32 takes no loss scaling"
    Precision.of("bf16") shouldBe Precision.BFLOAT16
    Precision.of("float16") shouldBe Precision.FLOAT16
  }
})
