package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.optim.LearningRateSchedule
import io.github.kontrast.dsl.optim.Sgd
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * ModelCheckpoint on a run whose best epoch is not the last. The model w x + c is fitted to
 * t = (3, 5) at x = (1, 2) by full-batch SGD on mean((w x + c - t)^2), one step per epoch, from
 * w = 1, c = 0. The loss's Hessian [[5, 3], [3, 2]] has largest eigenvalue 6.85, so SGD is stable
 * below lr 2 / 6.85 = 0.29: the rate is 0.1 for the first two steps, then 1.0, and the weights fly
 * off. Validation on the training pairs measures the weights after each epoch, by hand:
 *
 *  epoch | gradient (w, c) at the start | lr  | w, c after  | val_loss
 *  1     | (-8, -5)                     | 0.1 | 1.8, 0.5    | (0.7^2 + 0.9^2) / 2 = 0.65
 *  2     | (-2.5, -1.6)                 | 0.1 | 2.05, 0.66  | (0.29^2 + 0.24^2) / 2 = 0.07085
 *  3     | (-0.77, -0.53)               | 1.0 | 2.82, 1.19  | (1.01^2 + 1.83^2) / 2 = 2.1845
 *  4     | (4.67, 2.84)                 | 1.0 | -1.85, -1.65| (6.5^2 + 10.35^2) / 2 = 74.68625
 *
 * So the best epoch by val_loss is 2, and by the largest val_loss 4.
 */
class CallbacksSpec : FunSpec({
  val data = ArrayDataset(mapOf("x" to FloatHostArray(floatArrayOf(1f, 2f), intArrayOf(2)), "t" to FloatHostArray(floatArrayOf(3f, 5f), intArrayOf(2))))
  val expectedValLoss = listOf(0.65, 0.07085, 2.1845, 74.68625)

  fun trainer(): Trainer {
    val g = GraphBuilder(1)
    val tf = g.tf
    val x = g.floatInput("x", IntArray(0))
    val t = g.floatInput("t", IntArray(0))
    val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
    val c = g.variables.variable("c", intArrayOf(1), Initializers.zeros(), trainable = true)
    val loss = tf.math.mean(tf.math.square(tf.math.sub(tf.math.add(tf.math.mul(x, w), c), t)), tf.constant(0))
    val rate = LearningRateSchedule { step -> if (step < 2) 0.1 else 1.0 }
    return Trainer(g.compile(loss, optimizer = Sgd(rate))).also { it.quiet = true }
  }

  /** Records [checkpoint]'s savedEpoch at the end of every epoch (it runs after the checkpoint in the list). */
  class SavedEpochs(private val checkpoint: ModelCheckpoint) : Callback() {
    val seen = mutableListOf<Int>()
    override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) { seen += checkpoint.savedEpoch }
  }

  fun run(checkpoint: ModelCheckpoint): List<Int> {
    val spy = SavedEpochs(checkpoint)
    trainer().use { m ->
      val h = m.fit(data, data, epochs = 4, batchSize = 2, callbacks = listOf(checkpoint, spy), shuffle = false)
      // the premise: the run really gets worse after epoch 2
      h["val_loss"].size shouldBe 4
      h["val_loss"].forEachIndexed { i, v -> v shouldBe (expectedValLoss[i] plusOrMinus 1e-5 * expectedValLoss[i]) }
    }
    return spy.seen
  }

  fun weights(path: Path): Pair<Double, Double> {
    val c = Checkpoint.read(path)
    return c.values.getValue("w").data.single().toDouble() to c.values.getValue("c").data.single().toDouble()
  }

  test("onlyBest keeps the best epoch's weights and counters when later epochs are worse") {
    val path = tempdir().toPath().resolve("best.ckpt")
    val best = ModelCheckpoint(path, monitor = "val_loss", onlyBest = true)
    run(best) shouldBe listOf(1, 2, 2, 2)
    best.savedEpoch shouldBe 2
    val saved = Checkpoint.read(path)
    saved.epoch shouldBe 2
    saved.step shouldBe 2L
    val (w, c) = weights(path)
    w shouldBe (2.05 plusOrMinus 1e-6)
    c shouldBe (0.66 plusOrMinus 1e-6)
  }

  test("maximize keeps the largest value: epochs 1, 3 and 4 improve on it, epoch 2 does not") {
    val path = tempdir().toPath().resolve("worst.ckpt")
    val largest = ModelCheckpoint(path, monitor = "val_loss", onlyBest = true, maximize = true)
    run(largest) shouldBe listOf(1, 1, 3, 4)
    Checkpoint.read(path).epoch shouldBe 4
    val (w, c) = weights(path)
    w shouldBe (-1.85 plusOrMinus 1e-5)
    c shouldBe (-1.65 plusOrMinus 1e-5)
  }

  test("without onlyBest it saves every epoch, so the file holds the last") {
    val path = tempdir().toPath().resolve("last.ckpt")
    run(ModelCheckpoint(path, monitor = "val_loss")) shouldBe listOf(1, 2, 3, 4)
    Checkpoint.read(path).epoch shouldBe 4
    Files.list(path.parent).use { it.count() } shouldBe 1L // no temporary file left behind
  }

  test("a monitored key the logs lack fails, naming it and the keys there are") {
    val path = tempdir().toPath().resolve("none.ckpt")
    val e = shouldThrow<IllegalArgumentException> {
      trainer().use { it.fit(data, epochs = 1, batchSize = 2, callbacks = listOf(ModelCheckpoint(path, monitor = "val_loss", onlyBest = true))) }
    }
    e.message shouldContain "'val_loss'"
    e.message shouldContain "[loss]"
    Files.exists(path) shouldBe false
  }
})
