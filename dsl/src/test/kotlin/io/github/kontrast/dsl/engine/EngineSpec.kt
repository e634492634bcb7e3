package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
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
import org.tensorflow.op.core.Stack
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

  class Linear(freezeC: Boolean = false, clamp: Float? = null, lr: Double = 0.1, l2Weight: Double? = null) : AutoCloseable {
    val g = GraphBuilder(1)
    val compiled: CompiledGraph
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
      val outputs = mapOf(
        "w" to tf.identity(w), "c" to tf.identity(c), "pred" to pred,
        "above" to tf.math.greater(pred, tf.constant(2.5f)), // bool, fetched as int32
        // int64, fetched as int32: the index of the larger of (pred - 2, 2 - pred), 1 below 2
        "rank" to tf.math.argMax(tf.stack(listOf(tf.math.sub(pred, tf.constant(2f)), tf.math.sub(tf.constant(2f), pred)), Stack.axis(1L)), tf.constant(1)),
      )
      compiled = if (l2Weight == null) {
        g.compile(loss, mapOf("mae" to absErr), outputs, Sgd(LearningRateSchedule { lr }), params)
      } else {
        g.addLoss("fit", loss)
        // w * w, not square(w): TensorFlow's Square gradient crashes natively on a variable's ref output
        g.addLoss("l2", tf.sum(tf.math.mul(w, w), tf.constant(0)), l2Weight)
        g.addMetric("mae", absErr)
        outputs.forEach { (k, v) -> g.addOutput(k, v) }
        g.compile(Sgd(LearningRateSchedule { lr }), params)
      }
      trainer = Trainer(compiled)
      trainer.verbosity = Verbosity.SILENT
    }

    fun value(name: String) = trainer.checkpoint().values.getValue(name).data[0].toDouble()

    override fun close() {
      trainer.close()
      compiled.close()
    }
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
    val compiled = g.compile(loss, optimizer = Sgd(LearningRateSchedule { 0.1 }))
    compiled.use { Trainer(it).use { t ->
      t.verbosity = Verbosity.SILENT
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
    } }
  }

  test("epoch values weight each batch by its size and metrics by their counts") {
    val x = FloatArray(5) { it.toFloat() }
    val five = ArrayDataset(mapOf("x" to FloatHostArray(x, intArrayOf(5)), "t" to FloatHostArray(FloatArray(5), intArrayOf(5))))
    Linear().use { m ->
      // w = 1, c = 0: residuals 0..4, squared 0, 1, 4, 9, 16 -> mean 6 whatever the batching
      val e = m.trainer.evaluate(five, 2)
      e.getValue("loss") shouldBe (6.0 plusOrMinus 1e-6)
      e.getValue("mae") shouldBe (2.0 plusOrMinus 1e-6)
      (m.trainer.predict(five, 2, "pred", listOf("x")) as FloatHostArray).data.toList() shouldBe x.toList()
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
  test("several loss terms: the total is their weighted sum, trained and shown term by term") {
    // fit = mean((w x + c - t)^2) = 6.5 and l2 = w^2 = 1 at the start; total = fit + 0.5 l2 = 7.
    // d total/dw = -8 + 0.5 * 2w = -7 -> w = 1 + 0.1 * 7 = 1.7; d/dc = -5 -> c = 0.5.
    Linear(l2Weight = 0.5).use { m ->
      val h = m.trainer.fit(data, epochs = 1, batchSize = 2)
      h.keys shouldBe setOf("loss", "fit_loss", "l2_loss", "mae")
      h["loss"].single() shouldBe (7.0 plusOrMinus 1e-6)
      h["fit_loss"].single() shouldBe (6.5 plusOrMinus 1e-6)
      h["l2_loss"].single() shouldBe (1.0 plusOrMinus 1e-6)
      m.value("w") shouldBe (1.7 plusOrMinus 1e-6)
      m.value("c") shouldBe (0.5 plusOrMinus 1e-6)
      // evaluate reports the terms too: w = 1.7, c = 0.5 give residuals (-0.8, -1.1) -> fit 0.925, l2 2.89
      val e = m.trainer.evaluate(data, 2)
      e.getValue("fit_loss") shouldBe (0.925 plusOrMinus 1e-5)
      e.getValue("l2_loss") shouldBe (2.89 plusOrMinus 1e-5)
      e.getValue("loss") shouldBe (0.925 + 0.5 * 2.89 plusOrMinus 1e-5)
    }
  }

  test("loss terms are checked: scalar, named once, not clashing with a metric") {
    GraphBuilder(1).use { g ->
      val v = g.tf.constant(floatArrayOf(1f, 2f))
      shouldThrow<IllegalArgumentException> { g.addLoss("a", v) }.message shouldContain "loss term 'a' must be a scalar"
      g.addLoss("a", g.tf.constant(1f))
      shouldThrow<IllegalArgumentException> { g.addLoss("a", g.tf.constant(1f)) }.message shouldContain "added twice"
      g.addLoss("b", g.tf.constant(2f), 0.5)
      g.addMetric("a_loss", io.github.kontrast.dsl.metrics.MetricTensors(g.tf.constant(1f), g.tf.constant(1f)))
      shouldThrow<IllegalArgumentException> { g.compile() }.message shouldContain "a_loss"
    }
  }

  test("a trainable parameter the loss does not reach fails at compile, naming it") {
    GraphBuilder(1).use { g ->
      val x = g.floatInput("x", IntArray(0))
      val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
      g.variables.variable("unused/u", intArrayOf(2), Initializers.ones(), trainable = true)
      g.addLoss("loss", g.tf.math.mean(g.tf.math.mul(x, w), g.tf.constant(0)))
      val e = shouldThrow<IllegalArgumentException> { g.compile(Sgd(LearningRateSchedule { 0.1 })) }
      e.message shouldContain "'unused/u'"
    }
    // a momentum copy made by hand and left trainable: its output goes through stopGradient, so the loss cannot reach it
    GraphBuilder(1).use { g ->
      val x = g.floatInput("x", intArrayOf(2))
      val online = io.github.kontrast.dsl.layers.sequential { dense(1) }
      val inst = online.instantiate(g.variables, intArrayOf(2), scope = "online")
      val copy = online.instantiate(g.variables, intArrayOf(2), scope = "momentum")
      val target = g.tf.stopGradient(copy.apply(g.forward, x))
      g.addLoss("loss", g.tf.math.mean(g.tf.math.squaredDifference(inst.apply(g.forward, x), target), g.tf.constant(intArrayOf(0, 1))))
      shouldThrow<IllegalArgumentException> { g.compile(Sgd(LearningRateSchedule { 0.1 })) }.message shouldContain "'momentum/dense/kernel'"
    }
  }

  test("momentumCopy follows the online encoder by tau(step), as computed on the host") {
    fun run(schedule: MomentumSchedule, steps: Int) {
      val g = GraphBuilder(5)
      val x = g.floatInput("x", intArrayOf(2))
      val online = g.variables.let { io.github.kontrast.dsl.layers.sequential { dense(3); dense(1) }.instantiate(it, intArrayOf(2), scope = "online") }
      val target = g.momentumCopy(online, schedule, "target")
      val tf = g.tf
      // the loss pulls the online output toward the target's: both encoders are in the graph, only the online one trains
      g.addLoss("loss", tf.math.mean(tf.math.squaredDifference(online.apply(g.forward, x), tf.stopGradient(target.apply(g.forward, x))), tf.constant(intArrayOf(0, 1))))
      g.addLoss("pull", tf.math.mean(tf.math.square(online.apply(g.forward, x)), tf.constant(intArrayOf(0, 1))))
      g.variables.trainable.map { it.name } shouldBe listOf("online/dense/kernel", "online/dense/bias", "online/dense_1/kernel", "online/dense_1/bias")
      val one = ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f, -1f, 0.5f), intArrayOf(2, 2))))
      g.compile(Sgd(LearningRateSchedule { 0.2 })).use { compiled ->
        Trainer(compiled).use { t ->
          t.verbosity = Verbosity.SILENT
          val paths = listOf("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias")
          var expected = paths.associateWith { t.checkpoint().values.getValue("online/$it").data.copyOf() }
          for (p in paths) t.checkpoint().values.getValue("target/$p").data.toList() shouldBe expected.getValue(p).toList()
          for (k in 0 until steps) {
            t.fit(one, epochs = 1, batchSize = 2, shuffle = false)
            val now = t.checkpoint().values
            val tau = schedule.tau(k.toLong()).toFloat()
            expected = paths.associateWith { p ->
              val o = now.getValue("online/$p").data
              val m = expected.getValue(p)
              FloatArray(m.size) { m[it] * tau + o[it] * (1f - tau) }
            }
            for (p in paths) {
              val actual = now.getValue("target/$p").data
              actual.indices.forEach { actual[it].toDouble() shouldBe (expected.getValue(p)[it].toDouble() plusOrMinus 1e-6) }
            }
          }
          // the copy really moved: after the steps it is neither its start nor the online weights
          val end = t.checkpoint().values
          (end.getValue("target/dense_1/kernel").data.toList() != end.getValue("online/dense_1/kernel").data.toList()) shouldBe true
        }
      }
    }
    run(MomentumSchedule.constant(0.5), 3)
    run(MomentumSchedule.cosine(0.6, 4), 5)
  }

  test("the cosine momentum ramp: tau0 at 0, halfway up at K/2, 1 at K and after") {
    val s = MomentumSchedule.cosine(0.99, 10)
    s.tau(0) shouldBe (0.99 plusOrMinus 1e-12)
    s.tau(5) shouldBe (0.995 plusOrMinus 1e-12) // 1 - 0.01 * (cos(pi/2) + 1) / 2
    s.tau(10) shouldBe (1.0 plusOrMinus 1e-12)
    s.tau(20) shouldBe (1.0 plusOrMinus 1e-12)
    s.tau(2) shouldBe (1 - 0.01 * (Math.cos(Math.PI * 0.2) + 1) / 2 plusOrMinus 1e-12)
    MomentumSchedule.constant(0.996).tau(123) shouldBe 0.996
    shouldThrow<IllegalArgumentException> { MomentumSchedule.cosine(1.5, 10) }.message shouldContain "base"
    shouldThrow<IllegalArgumentException> { MomentumSchedule.cosine(0.9, 0) }.message shouldContain "totalSteps"
  }

  test("after-step ops read the step number; host scalars are computed per step") {
    val g = GraphBuilder(1)
    val tf = g.tf
    val x = g.floatInput("x", IntArray(0))
    val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
    val seen = g.variables.variable("seen_step", intArrayOf(1), Initializers.zeros(), trainable = false)
    val sum = g.variables.variable("sum_of_squares", intArrayOf(1), Initializers.zeros(), trainable = false)
    val square = g.hostScalar("square") { k -> (k * k).toDouble() } // the 0-based step, squared
    g.addLoss("loss", tf.math.mean(tf.math.mul(x, w), tf.constant(0)))
    g.afterStep { ops -> ops.assign(seen, ops.reshape(g.step, ops.constant(intArrayOf(1)))) }
    g.afterStep { ops -> ops.assignAdd(sum, ops.reshape(square, ops.constant(intArrayOf(1)))) }
    g.compile(Sgd(LearningRateSchedule { 0.1 })).use { compiled ->
      Trainer(compiled).use { t ->
        t.verbosity = Verbosity.SILENT
        t.fit(ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f, 3f), intArrayOf(3)))), epochs = 1, batchSize = 1)
        t.checkpoint().values.getValue("seen_step").data[0] shouldBe 3f // the third update is number 3
        t.checkpoint().values.getValue("sum_of_squares").data[0] shouldBe 5f // 0 + 1 + 4
      }
    }
  }

  test("predict fetches int and bool outputs as ints, in order, whatever the batching") {
    val x = floatArrayOf(0f, 1f, 2f, 3f, 4f)
    val five = ArrayDataset(mapOf("x" to FloatHostArray(x, intArrayOf(5)), "t" to FloatHostArray(FloatArray(5), intArrayOf(5))))
    Linear().use { m ->
      // w = 1, c = 0: pred = x; above 2.5 for 3 and 4; rank 1 where 2 - x > x - 2 (x = 0, 1), 0 at the tie and above
      val above = m.trainer.predict(five, 2, "above") as IntHostArray
      above.data.toList() shouldBe listOf(0, 0, 0, 1, 1)
      above.shape.toList() shouldBe listOf(5)
      (m.trainer.predict(five, 3, "rank") as IntHostArray).data.toList() shouldBe listOf(1, 1, 0, 0, 0)
      m.compiled.inputsFor("above").map { it.name } shouldBe listOf("x") // the target is not needed
      shouldThrow<IllegalArgumentException> { m.trainer.run(five.batch(intArrayOf(0)), listOf("above")) }.message shouldContain "fetch()"
      (m.trainer.fetch(five.batch(intArrayOf(4, 1)), listOf("above"))["above"] as IntHostArray).data.toList() shouldBe listOf(1, 0)
    }
  }

  test("verbosity: SILENT prints nothing, EPOCHS a line per epoch with the terms and the throughput unit") {
    fun printed(verbosity: Verbosity): String {
      val bytes = java.io.ByteArrayOutputStream()
      Linear(l2Weight = 0.5).use { m ->
        m.trainer.verbosity = verbosity
        m.trainer.unit = "points"
        m.trainer.out = java.io.PrintStream(bytes, true)
        m.trainer.fit(data, epochs = 2, batchSize = 2)
      }
      return bytes.toString()
    }
    printed(Verbosity.SILENT) shouldBe ""
    val lines = printed(Verbosity.EPOCHS).lines().filter { it.isNotBlank() }
    lines.size shouldBe 2
    lines[0] shouldContain "Epoch 1/2 - 1 steps"
    lines[0] shouldContain "points/s"
    lines[0] shouldContain "loss: 7.0000 - fit_loss: 6.5000 - l2_loss: 1.0000"
    Linear().use { m ->
      m.trainer.quiet = true
      m.trainer.verbosity shouldBe Verbosity.EPOCHS
      m.trainer.quiet = false
      m.trainer.verbosity shouldBe Verbosity.PROGRESS_BAR
    }
  }

  test("the compiled graph owns the graph: a closed trainer leaves it usable, closing it frees it") {
    val g = GraphBuilder(1)
    val x = g.floatInput("x", IntArray(0))
    val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
    val compiled = g.compile(g.tf.math.mean(g.tf.math.mul(x, w), g.tf.constant(0)), optimizer = Sgd(LearningRateSchedule { 0.1 }))
    val one = ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(2f), intArrayOf(1))))
    Trainer(compiled).use { it.verbosity = Verbosity.SILENT; it.fit(one, epochs = 1, batchSize = 1) }
    Trainer(compiled).use { t ->
      t.verbosity = Verbosity.SILENT
      t.fit(one, epochs = 1, batchSize = 1)
      t.checkpoint().values.getValue("w").data[0].toDouble() shouldBe (0.8 plusOrMinus 1e-6) // a fresh session starts again at w = 1
    }
    compiled.close()
    shouldThrow<IllegalStateException> { compiled.graph.toGraphDef() }
  }
})
