package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.optim.Parameter
import io.github.kontrast.dsl.optim.Sgd
import io.github.kontrast.dsl.optim.LearningRateSchedule
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.types.TFloat32
import java.nio.file.Files

/**
 * The engine on a graph small enough to follow by hand: prediction w * x + c, loss mean((w x + c - t)^2),
 * plain SGD. One step from w = 1, c = 0 on x = (1, 2), t = (3, 5) with lr 0.1:
 * residuals (-2, -3); dL/dw = mean(2 r x) = (-4 - 12) / 2 = -8; dL/dc = mean(2 r) = -5;
 * so w = 1.8, c = 0.5.
 */
class EngineSpec : FunSpec({
  val data = ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f), intArrayOf(2)), "t" to FloatHostArray(floatArrayOf(3f, 5f), intArrayOf(2))))

  class Linear(freezeC: Boolean = false, clamp: Float? = null, lr: Double = 0.1) : AutoCloseable {
    val g = GraphBuilder(1)
    val trainer: Trainer

    init {
      val tf = g.tf
      val x = g.floatInput("x", IntArray(0))
      val t = g.floatInput("t", IntArray(0))
      val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
      val c = g.variables.variable("c", intArrayOf(1), Initializers.zeros(), trainable = true)
      val pred = tf.math.add(tf.math.mul(x, w), c)
      val r = tf.math.sub(pred, t)
      val loss = tf.math.mean(tf.math.square(r), tf.constant(0))
      if (clamp != null) g.afterStep { ops -> ops.assign(w, ops.math.minimum(w, ops.constant(floatArrayOf(clamp)))) }
      val params = if (freezeC) listOf(Parameter("w", w)) else null
      val absErr = io.github.kontrast.dsl.metrics.MetricTensors(tf.sum(tf.math.abs(r), tf.constant(0)), tf.dtypes.cast(tf.size(r), TFloat32::class.java))
      trainer = Trainer(g.compile(loss, mapOf("mae" to absErr), mapOf("w" to tf.identity(w), "c" to tf.identity(c), "pred" to pred), Sgd(LearningRateSchedule { lr }), params))
      trainer.quiet = true
    }

    fun value(name: String) = trainer.checkpoint().values.getValue(name).data[0].toDouble()

    override fun close() = trainer.close()
  }

  test("one SGD step matches the hand computation; loss and metrics are those before the update") {
    Linear().use { m ->
      val h = m.trainer.fit(data, epochs = 1, batchSize = 2)
      m.value("w") shouldBe (1.8 plusOrMinus 1e-6)
      m.value("c") shouldBe (0.5 plusOrMinus 1e-6)
      h["loss"].single() shouldBe (6.5 plusOrMinus 1e-6) // mean(4, 9)
      h["mae"].single() shouldBe (2.5 plusOrMinus 1e-6)
      m.trainer.step shouldBe 1L
    }
  }

  test("frozen parameters stay put; after-step ops run after the update") {
    Linear(freezeC = true).use { m ->
      m.trainer.fit(data, epochs = 1, batchSize = 2)
      m.value("w") shouldBe (1.8 plusOrMinus 1e-6)
      m.value("c") shouldBe 0.0
    }
    Linear(clamp = 1.5f).use { m ->
      m.trainer.fit(data, epochs = 1, batchSize = 2)
      // the update gives 1.8; the clamp, built to depend on the update, brings it back to 1.5
      m.value("w") shouldBe (1.5 plusOrMinus 1e-6)
    }
  }

  test("a momentum copy: starts as a copy, follows the trained weights after each step (MoCo's hook)") {
    val g = GraphBuilder(3)
    val tf = g.tf
    val x = g.floatInput("x", intArrayOf(2))
    val online = io.github.kontrast.dsl.layers.sequential { dense(1) }
    val inst = online.instantiate(g.variables, intArrayOf(2), scope = "online")
    val momentum = online.instantiate(
      io.github.kontrast.dsl.layers.ParameterFactory { path, spec ->
        g.variables.create(path, io.github.kontrast.dsl.layers.ParamSpec(spec.name, spec.shape, g.variables.sameAs(path.replaceFirst("momentum/", "online/")), spec.trainable))
      },
      intArrayOf(2), scope = "momentum", frozen = true,
    )
    val loss = tf.math.mean(tf.math.square(inst.apply(g.forward, x)), tf.constant(intArrayOf(0, 1)))
    g.afterStep { ops ->
      val updates = inst.variables.zip(momentum.variables).map { (o, m) ->
        ops.assign(m, ops.math.add(ops.math.mul(m, ops.constant(0.5f)), ops.math.mul(o, ops.constant(0.5f)))) as org.tensorflow.op.Op
      }
      ops.withControlDependencies(updates).noOp()
    }
    Trainer(g.compile(loss, optimizer = Sgd(LearningRateSchedule { 0.1 }))).use { t ->
      t.quiet = true
      val before = t.checkpoint().values
      before.getValue("momentum/dense/kernel").data.toList() shouldBe before.getValue("online/dense/kernel").data.toList()
      g.variables.trainable.map { it.name } shouldBe listOf("online/dense/kernel", "online/dense/bias")
      t.fit(ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f, 3f, 4f), intArrayOf(2, 2)))), epochs = 1, batchSize = 2)
      val after = t.checkpoint().values
      val m = after.getValue("momentum/dense/kernel").data
      val o0 = before.getValue("online/dense/kernel").data
      val o1 = after.getValue("online/dense/kernel").data
      (o1[0] != o0[0]) shouldBe true
      m.indices.forEach { m[it].toDouble() shouldBe ((0.5 * o0[it] + 0.5 * o1[it]) plusOrMinus 1e-6) }
    }
  }

  test("epoch values weight each batch by its size and metrics by their counts") {
    val x = FloatArray(5) { it.toFloat() }
    val five = ArrayDataset(mapOf("x" to FloatHostArray(x, intArrayOf(5)), "t" to FloatHostArray(FloatArray(5), intArrayOf(5))))
    Linear().use { m ->
      // w = 1, c = 0: residuals 0..4, squared 0, 1, 4, 9, 16 -> mean 6 whatever the batching
      val e = m.trainer.evaluate(five, 2)
      e.getValue("loss") shouldBe (6.0 plusOrMinus 1e-6)
      e.getValue("mae") shouldBe (2.0 plusOrMinus 1e-6)
      m.trainer.predict(five, 2, "pred", listOf("x")).data.toList() shouldBe x.toList()
    }
  }

  // ModelCheckpoint: CallbacksSpec, on a run whose best epoch is not the last
  test("callbacks see every batch and epoch") {
    val seen = mutableListOf<String>()
    val spy = object : Callback() {
      override fun onTrainBegin(control: TrainingControl) { seen += "begin" }
      override fun onEpochBegin(epoch: Int, control: TrainingControl) { seen += "epoch$epoch" }
      override fun onBatchEnd(batch: BatchResult, control: TrainingControl) { seen += "step${batch.step}" }
      override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) { seen += "end$epoch" }
      override fun onTrainEnd(history: History) { seen += "done" }
    }
    Linear(lr = 0.1).use { m -> m.trainer.fit(data, epochs = 2, batchSize = 1, callbacks = listOf(spy), shuffle = false) }
    seen shouldBe listOf("begin", "epoch1", "step1", "step2", "end1", "epoch2", "step3", "step4", "end2", "done")
  }

  test("checkpoints: round trip, and clear errors for a truncated file or another format") {
    val dir = tempdir().toPath()
    val path = dir.resolve("a.ckpt")
    Linear().use { m ->
      m.trainer.fit(data, epochs = 1, batchSize = 2)
      m.trainer.save(path)
    }
    val c = Checkpoint.read(path)
    c.step shouldBe 1L
    c.epoch shouldBe 1
    c.values.keys shouldBe setOf("w", "c")
    c.values.getValue("w").data[0].toDouble() shouldBe (1.8 plusOrMinus 1e-6)
    val bytes = Files.readAllBytes(path)
    val cut = dir.resolve("cut.ckpt").also { Files.write(it, bytes.copyOf(bytes.size - 3)) }
    shouldThrow<IllegalArgumentException> { Checkpoint.read(cut) }.message shouldContain "truncated"
    val other = dir.resolve("other.ckpt").also { Files.write(it, "hello world, not a checkpoint".toByteArray()) }
    shouldThrow<IllegalArgumentException> { Checkpoint.read(other) }.message shouldContain "not a Kontrast checkpoint"
    shouldThrow<IllegalArgumentException> { Checkpoint.read(dir.resolve("missing.ckpt")) }.message shouldContain "does not exist"
  }

  test("History: Keras-like keys, epochs, step times") {
    val h = History()
    h.addEpoch(1, mapOf("loss" to 2.0, "val_loss" to 3.0))
    h.addEpoch(2, mapOf("loss" to 1.0))
    h["loss"] shouldBe listOf(2.0, 1.0)
    h["val_loss"].size shouldBe 2
    h["val_loss"][1].isNaN() shouldBe true
    h.epochs shouldBe listOf(1, 2)
    shouldThrow<IllegalArgumentException> { h["accuracy"] }.message shouldContain "loss"
    h.addStep(10.0, 64); h.addStep(30.0, 64); h.addStep(20.0, 64); h.addStep(40.0, 10)
    h.stepMillisMedian() shouldBe 25.0
    h.examplesPerSecond() shouldBe (64 / 0.025 plusOrMinus 1e-9)
  }
})
