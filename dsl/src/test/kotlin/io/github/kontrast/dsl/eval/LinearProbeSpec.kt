package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.ln

class LinearProbeSpec : FunSpec({
  fun matrix(rows: Int, d: Int, vararg v: Float) = FloatHostArray(v, intArrayOf(rows, d))

  test("one SGD step from zero weights is the hand-computed gradient step") {
    // x = [[1, 2], [3, -1]], labels [0, 1], two classes. At W = 0 every probability is 1/2, so the
    // gradient of the mean cross-entropy by the logits is (p - y) / 2 = [[-1/4, 1/4], [1/4, -1/4]],
    // by W it is x^T of that = [[1/2, -1/2], [-3/4, 3/4]], by b it is 0. One step at rate 0.5 gives
    // W = [[-1/4, 1/4], [3/8, -3/8]], b = 0, after a first loss of ln 2.
    val x = matrix(2, 2, 1f, 2f, 3f, -1f)
    val c = LinearProbe.create().withEpochs(1).withBatchSize(2).withSgd(0.5, momentum = 0.0).withCosine(false).withStandardize(false)
      .fit(x, intArrayOf(0, 1))
    c.weights.toList() shouldBe listOf(-0.25f, 0.25f, 0.375f, -0.375f)
    c.biases.toList() shouldBe listOf(0f, 0f)
    c.losses.single() shouldBe (ln(2.0) plusOrMinus 1e-6)
    // logits of (1, 1): -0.25 + 0.375 = 0.125 and 0.25 - 0.375 = -0.125
    c.logits(matrix(1, 2, 1f, 1f)).data.toList() shouldBe listOf(0.125f, -0.125f)
    c.predict(matrix(2, 2, 1f, 1f, -1f, -1f)).toList() shouldBe listOf(0, 1)
  }

  test("one Adam step moves every weight with a gradient by the rate, against its sign") {
    // Adam's first update is lr * m / (sqrt(v) + eps) with m = (1 - b1) g, v = (1 - b2) g^2 and the
    // bias corrections: lr * g / (|g| + eps) = lr * sign(g) up to eps; b has no gradient and stays 0
    val c = LinearProbe.create().withEpochs(1).withBatchSize(2).withAdam(0.01).withCosine(false).withStandardize(false)
      .fit(matrix(2, 2, 1f, 2f, 3f, -1f), intArrayOf(0, 1))
    val expected = listOf(-0.01f, 0.01f, 0.01f, -0.01f)
    c.weights.forEachIndexed { i, w -> w shouldBe (expected[i] plusOrMinus 1e-6f) }
    c.biases.toList() shouldBe listOf(0f, 0f)
  }

  test("linearly separable features: accuracy 1.0 on held-out data") {
    val r = SplittableRandom(8)
    val d = 8
    val centres = Array(3) { FloatArray(d) { 6f * r.nextGaussian().toFloat() } }
    fun sample(n: Int): Pair<FloatHostArray, IntArray> {
      val labels = IntArray(n) { it % 3 }
      return FloatHostArray(FloatArray(n * d) { centres[labels[it / d]][it % d] + 0.5f * r.nextGaussian().toFloat() }, intArrayOf(n, d)) to labels
    }
    val (train, trainLabels) = sample(300)
    val (test, testLabels) = sample(150)
    val result = LinearProbe.create().withEpochs(10).evaluate(train, trainLabels, test, testLabels)
    result.accuracy shouldBe (1.0 plusOrMinus 1e-12)
    result.trainAccuracy shouldBe (1.0 plusOrMinus 1e-12)
    result.classifier.losses.last() shouldBe (0.0 plusOrMinus 0.05)
  }

  test("a symmetric overlap has its decision point at 0, so the known test accuracy is 1/2") {
    // class 0 at -3, -2, -1, 0.5 and class 1 at the mirror images: the problem is symmetric under
    // x -> -x with the labels swapped, so the learned boundary is x = 0. Of the test points -2 (0),
    // -0.2 (1), 0.2 (0), 2 (1) the outer two are right and the inner two wrong.
    val x = matrix(8, 1, -3f, -2f, -1f, 0.5f, 3f, 2f, 1f, -0.5f)
    val y = intArrayOf(0, 0, 0, 0, 1, 1, 1, 1)
    val result = LinearProbe.create().withEpochs(40).withBatchSize(8).withStandardize(false)
      .evaluate(x, y, matrix(4, 1, -2f, -0.2f, 0.2f, 2f), intArrayOf(0, 1, 0, 1))
    val w = result.classifier.weights
    val b = result.classifier.biases
    val boundary = -(b[1] - b[0]) / (w[1] - w[0])
    boundary.toDouble() shouldBe (0.0 plusOrMinus 1e-4)
    result.accuracy shouldBe (0.5 plusOrMinus 1e-12)
    result.trainAccuracy shouldBe (0.75 plusOrMinus 1e-12)
  }

  test("the same seed gives the same classifier; the probe works from an embedding function") {
    val r = SplittableRandom(2)
    val images = FloatHostArray(FloatArray(200 * 4) { r.nextGaussian().toFloat() }, intArrayOf(200, 2, 2, 1))
    val labels = IntArray(200) { if (images.data[4 * it] + images.data[4 * it + 3] > 0) 1 else 0 }
    val set = LabeledImages(images, IntHostArray(labels, intArrayOf(200)))
    val flatten = EmbeddingFunction { FloatHostArray(it.data, intArrayOf(it.rows, 4)) }
    val probe = LinearProbe.create().withEpochs(20).withBatchSize(32)
    val a = probe.evaluate(flatten, set, set)
    val b = probe.evaluate(flatten, set, set)
    a.classifier.weights.toList() shouldBe b.classifier.weights.toList()
    a.accuracy shouldBe (1.0 plusOrMinus 0.02) // the label is a linear function of two of the pixels
  }

  test("bad input is rejected naming the argument") {
    shouldThrow<IllegalArgumentException> { LinearProbe.create().withEpochs(0) }.message shouldContain "epochs must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { LinearProbe.create().fit(matrix(2, 1, 1f, 2f), intArrayOf(0)) }.message shouldContain
      "labels must have one label per row (2), got 1"
    shouldThrow<IllegalArgumentException> { LinearProbe.create().fit(matrix(2, 1, 1f, 2f), intArrayOf(0, -1)) }.message shouldContain
      "labels must be >= 0, got -1"
    shouldThrow<IllegalArgumentException> { LinearProbe.create().fit(FloatHostArray(FloatArray(4), intArrayOf(2, 2, 1)), intArrayOf(0, 1)) }.message shouldContain
      "features must be [N, D], got [2, 2, 1]"
  }
})
