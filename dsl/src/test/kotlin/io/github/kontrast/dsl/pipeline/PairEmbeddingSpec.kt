package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Spiral
import io.github.kontrast.dsl.engine.TrainingLimit
import io.github.kontrast.dsl.metrics.RankCorrelation
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs
import org.tensorflow.EagerSession
import org.tensorflow.op.Ops

/**
 * Document 002: Wolfram's ContrastiveLossLayer on distances, and NetPairEmbeddingOperator as the
 * Siamese pipeline with any encoder, here an MLP on points of the plane.
 */
class PairEmbeddingSpec : FunSpec({
  fun mlp(seed: Long = 42) = siamese {
    this.seed = seed
    quiet = true
    input(2)
    encoder {
      dense(200, activation = relu)
      dense(100, activation = relu)
      dense(20, activation = tanh)
      dense(1)
    }
    loss = contrastive(margin = 0.5f, convention = PairConvention.ONE_MEANS_DISSIMILAR)
    optimizer = adam(1e-3)
    threshold = 0.25f
  }

  test("ContrastiveLossLayer[]: 0.16, 0 and 0.01 for (0.1, True), (0.6, True), (0.1, False); the False loss is the square") {
    val loss = siamese { input(2); encoder { dense(1) }; loss = contrastive(margin = 0.5f, convention = PairConvention.ONE_MEANS_DISSIMILAR) }.use { it.loss }
    EagerSession.create().use { s ->
      val tf = Ops.create(s)
      fun value(d: Float, target: Boolean) =
        loss.callOnDistance(tf, tf.constant(floatArrayOf(d)), tf.constant(floatArrayOf(if (target) 1f else 0f))).asTensor().getFloat().toDouble()
      value(0.1f, true) shouldBe (0.16 plusOrMinus 1e-7) // (0.5 - 0.1)^2
      value(0.6f, true) shouldBe 0.0 // beyond the margin
      value(0.1f, false) shouldBe (0.01 plusOrMinus 1e-8) // 0.1^2
      // "proportional to the input distance", the document says; it is the square: tripling d multiplies the loss by 9
      value(0.3f, false) / value(0.1f, false) shouldBe (9.0 plusOrMinus 1e-5)
      value(0.5f, false) shouldBe (0.25 plusOrMinus 1e-7)
    }
  }

  test("NetPairEmbeddingOperator[mlp]: the MLP 2 -> 200 -> 100 -> 20 -> 1 as the twin, one number per point") {
    mlp().use { m ->
      m.inputShape.toList() shouldBe listOf(2)
      m.embeddingShape.toList() shouldBe listOf(1)
      // 2*200+200, 200*100+100, 100*20+20, 20*1+1
      m.encoderSummary().totalParams shouldBe 600L + 20_100L + 2_020L + 21L
      m.summary(print = false).rows.map { it.outputShape } shouldBe listOf("[(None, 2)]", "[(None, 2)]", "(None, 1)", "(None,)")
      val e = m.embed(FloatHostArray(floatArrayOf(0f, 0f, 0.5f, -0.5f, 1f, 1f), intArrayOf(3, 2)))
      e.shape.toList() shouldBe listOf(3, 1)
    }
  }

  test("the spiral: a few hundred steps on random pairs give an embedding that follows r (|Spearman rho| > 0.8)") {
    val spiral = Spiral.generate(seed = 1)
    mlp().use { m ->
      val limit = TrainingLimit.steps(300)
      val h = m.fit(spiral.pairs(512 * 100, seed = 2), epochs = 3, batchSize = 512, callbacks = listOf(limit))
      m.step shouldBe 300L
      limit.reached shouldBe "steps"
      h["loss"].last() shouldBeGreaterThan 0.0
      (h["loss"].last() < h["loss"].first()) shouldBe true
      // the pairs Wolfram calls False (|dr| <= pi) end closer than the True ones
      (h["mean_positive_distance"].last() < h["mean_negative_distance"].last()) shouldBe true
      val e = m.embed(spiral.points, batchSize = 1024)
      val rho = RankCorrelation.spearman(e.data, spiral.parameter)
      abs(rho) shouldBeGreaterThan 0.8
    }
  }

  test("TrainingLimit stops at the step asked for, mid-epoch, or when the time is up") {
    val spiral = Spiral.generate(seed = 1, end = 3.0)
    mlp().use { m ->
      val limit = TrainingLimit.steps(23)
      val h = m.fit(spiral.pairs(64 * 10), epochs = 5, batchSize = 64, callbacks = listOf(limit))
      m.step shouldBe 23L
      h.epochs shouldBe listOf(1, 2, 3) // the third epoch stopped after 3 of its 10 steps
      h.stepMillis.size shouldBe 23
    }
    mlp().use { m ->
      val limit = TrainingLimit.seconds(0.5)
      val started = System.nanoTime()
      m.fit(spiral.pairs(64 * 10), epochs = 100_000, batchSize = 64, callbacks = listOf(limit))
      val seconds = (System.nanoTime() - started) / 1e9
      limit.reached shouldBe "time"
      (seconds >= 0.5 && seconds < 30) shouldBe true
    }
    shouldThrow<IllegalArgumentException> { TrainingLimit.steps(0) }.message shouldBe "maxSteps must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { TrainingLimit.seconds(-1.0) }.message shouldBe "maxSeconds must be > 0, got -1.0"
  }

  test("points of another size are refused before training, naming the shapes") {
    mlp().use { m ->
      val bad = io.github.kontrast.dsl.data.ArrayDataset(
        Batch.FIRST to FloatHostArray(FloatArray(6), intArrayOf(2, 3)),
        Batch.SECOND to FloatHostArray(FloatArray(6), intArrayOf(2, 3)),
        Batch.LABEL to FloatHostArray(FloatArray(2), intArrayOf(2)),
      )
      shouldThrow<IllegalArgumentException> { m.fit(bad) }.message shouldContain "array 'first' has shape [1, 3], i.e. (None, 3) per example, but the input 'first' expects (None, 2)"
    }
  }
})
