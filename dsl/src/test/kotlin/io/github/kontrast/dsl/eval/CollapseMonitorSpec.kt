package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.optim.sgd
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.sqrt

class CollapseMonitorSpec : FunSpec({
  val data = ArrayDataset("x" to FloatHostArray(floatArrayOf(1f, 2f, 3f, 4f), intArrayOf(4)))

  fun gaussian(n: Int, d: Int, seed: Long): FloatHostArray {
    val r = SplittableRandom(seed)
    return FloatHostArray(FloatArray(n * d) { r.nextGaussian().toFloat() }, intArrayOf(n, d))
  }

  /** One vector for every row, plus noise of 1e-6: what a collapsed encoder gives. */
  fun collapsed(n: Int, d: Int): FloatHostArray {
    val r = SplittableRandom(1)
    val v = FloatArray(d) { r.nextGaussian().toFloat() }
    return FloatHostArray(FloatArray(n * d) { v[it % d] + 1e-6f * r.nextGaussian().toFloat() }, intArrayOf(n, d))
  }

  /** Trains a one-variable regression for [epochs] with [monitor]: training is only the occasion for the callback. */
  fun fit(monitor: CollapseMonitor, epochs: Int): History {
    val g = GraphBuilder(1)
    val x = g.floatInput("x", IntArray(0))
    val w = g.variables.variable("w", intArrayOf(1), Initializers.ones(), trainable = true)
    g.addLoss("fit", g.tf.math.mean(g.tf.math.mul(g.tf.math.mul(x, w), g.tf.math.mul(x, w)), g.tf.constant(0)))
    return g.compile(sgd(0.01)).use { compiled ->
      Trainer(compiled).use { t ->
        t.verbosity = Verbosity.SILENT
        t.fit(data, epochs = epochs, batchSize = 2, callbacks = listOf(monitor))
      }
    }
  }

  test("the measure by hand: (1, 0) and (0, 3) give sqrt(1/2) in each dimension") {
    // normalised rows (1, 0) and (0, 1): each column holds 1 and 0, std with N - 1 = sqrt(1/2)
    CollapseMonitor.embeddingStd(FloatHostArray(floatArrayOf(1f, 0f, 0f, 3f), intArrayOf(2, 2))) shouldBe (sqrt(0.5) plusOrMinus 1e-7)
  }

  test("Gaussian embeddings give about 1/sqrt(D); collapsed ones about 0") {
    CollapseMonitor.embeddingStd(gaussian(4000, 64, 3)) shouldBe (1 / 8.0 plusOrMinus 0.003)
    CollapseMonitor.embeddingStd(collapsed(512, 64)) shouldBeLessThan 1e-5
  }

  test("in fit, collapsed embeddings are recorded in History every epoch with a warning each time") {
    val warnings = mutableListOf<String>()
    val probe = FloatHostArray(FloatArray(256 * 3), intArrayOf(256, 3))
    val monitor = CollapseMonitor(probe) { collapsed(it.rows, 128) }.withWarnings { warnings += it }
    val history = fit(monitor, epochs = 3)
    history["embedding_std"] shouldHaveSize 3
    history["embedding_std"].forEach { it shouldBeLessThan 1e-5 }
    monitor.values shouldBe history["embedding_std"]
    warnings shouldHaveSize 3
    warnings[0] shouldContain "collapse warning, epoch 1: embedding_std"
    warnings[0] shouldContain "is below 0.1/sqrt(128) = 0.00884"
    warnings[2] shouldContain "epoch 3"
  }

  test("in fit, random embeddings raise no warning; the threshold is a fraction of 1/sqrt(D)") {
    val warnings = mutableListOf<String>()
    val probe = FloatHostArray(FloatArray(512), intArrayOf(512, 1))
    val monitor = CollapseMonitor(probe) { gaussian(it.rows, 128, 5) }.withWarnings { warnings += it }
    val history = fit(monitor, epochs = 2)
    history["embedding_std"].forEach { it shouldBe (1 / sqrt(128.0) plusOrMinus 0.004) }
    warnings.shouldBeEmpty()
    // above 1/sqrt(D) as the threshold, even healthy embeddings warn
    val strict = CollapseMonitor(probe) { gaussian(it.rows, 128, 5) }.withThreshold(1.5).withWarnings { warnings += it }
    fit(strict, epochs = 1)
    warnings shouldHaveSize 1
  }

  test("a key the trainer already records is refused; a probe of one image too") {
    val monitor = CollapseMonitor(FloatHostArray(FloatArray(4), intArrayOf(4, 1))) { gaussian(it.rows, 8, 1) }.withKey("loss")
    shouldThrow<IllegalArgumentException> { fit(monitor, epochs = 1) }.message shouldContain
      "callback CollapseMonitor reports 'loss', which the epoch has already"
    shouldThrow<IllegalArgumentException> { CollapseMonitor(FloatHostArray(FloatArray(1), intArrayOf(1, 1))) { it } }.message shouldContain
      "probe must hold at least 2 images"
  }
})
