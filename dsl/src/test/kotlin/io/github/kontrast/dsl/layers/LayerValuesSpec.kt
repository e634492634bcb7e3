package io.github.kontrast.dsl.layers

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.optim.LearningRateSchedule
import io.github.kontrast.dsl.optim.Sgd
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.sqrt
import kotlin.math.tanh

/** Every layer's output against numbers worked out by hand. */
class LayerValuesSpec : FunSpec({
  fun FloatArray.shouldBeClose(expected: DoubleArray, tol: Double = 1e-5) {
    size shouldBe expected.size
    forEachIndexed { i, v -> v.toDouble() shouldBe (expected[i] plusOrMinus tol) }
  }

  test("conv2d, valid padding: 3x3 input 1..9, kernel [[1,2],[3,4]], bias 0.5") {
    LayerHarness(Conv2D(1, 2), intArrayOf(3, 3, 1), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f))
      h.set("bias", floatArrayOf(0.5f))
      val out = h.out(FloatArray(9) { it + 1f })
      out.shape.toList() shouldBe listOf(1, 2, 2, 1)
      // 1*1+2*2+3*4+4*5 = 37, then each step right adds 10, each step down adds 30
      out.data.shouldBeClose(doubleArrayOf(37.5, 47.5, 67.5, 77.5))
    }
  }

  test("conv2d with relu and a negative bias cuts the small outputs") {
    LayerHarness(Conv2D(1, 2, activation = Activations.relu), intArrayOf(3, 3, 1), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f))
      h.set("bias", floatArrayOf(-50f))
      h.out(FloatArray(9) { it + 1f }).data.shouldBeClose(doubleArrayOf(0.0, 0.0, 17.0, 27.0))
    }
  }

  test("conv2d, same padding, stride 2: 5x5 -> 3x3, zeros beyond the border") {
    LayerHarness(Conv2D(1, 3, padding = Padding.SAME, strideHeight = 2, useBias = false), intArrayOf(5, 5, 1), 1).use { h ->
      h.set("kernel", FloatArray(9) { 1f })
      val out = h.out(FloatArray(25) { 1f })
      out.shape.toList() shouldBe listOf(1, 3, 3, 1)
      // TensorFlow pads (3 - 1) / 2 = 1 on each side for a 5-wide input at stride 2: corners see 4 ones, edges 6, centre 9
      out.data.shouldBeClose(doubleArrayOf(4.0, 6.0, 4.0, 6.0, 9.0, 6.0, 4.0, 6.0, 4.0))
    }
  }

  test("conv2d with two input channels and two filters mixes channels per filter") {
    LayerHarness(Conv2D(2, 1, useBias = false), intArrayOf(1, 1, 2), 1).use { h ->
      // kernel [1, 1, 2 in, 2 out] = [[1, 2], [3, 4]]: out_f = sum_c x_c * k[c][f]
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f))
      h.out(floatArrayOf(10f, 100f)).data.shouldBeClose(doubleArrayOf(310.0, 420.0))
    }
  }

  test("maxPool and avgPool 2x2 on a 4x4 grid of 1..16") {
    LayerHarness(MaxPool2D(2), intArrayOf(4, 4, 1), 1).use { h ->
      h.out(FloatArray(16) { it + 1f }).data.shouldBeClose(doubleArrayOf(6.0, 8.0, 14.0, 16.0))
    }
    LayerHarness(AvgPool2D(2), intArrayOf(4, 4, 1), 1).use { h ->
      h.out(FloatArray(16) { it + 1f }).data.shouldBeClose(doubleArrayOf(3.5, 5.5, 11.5, 13.5))
    }
  }

  test("maxPool of an odd size drops the last row and column, as Keras' valid pooling") {
    MaxPool2D(2).outputShape(intArrayOf(27, 27, 128)).toList() shouldBe listOf(13, 13, 128)
    MaxPool2D(2, padding = Padding.SAME).outputShape(intArrayOf(27, 27, 128)).toList() shouldBe listOf(14, 14, 128)
  }

  test("global average pooling averages each channel over the grid") {
    LayerHarness(GlobalAveragePooling2D(), intArrayOf(2, 2, 2), 1).use { h ->
      h.out(floatArrayOf(1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f)).data.shouldBeClose(doubleArrayOf(2.5, 25.0))
    }
  }

  test("flatten keeps the row-major order") {
    LayerHarness(Flatten(), intArrayOf(2, 3), 2).use { h ->
      val out = h.out(FloatArray(12) { it.toFloat() })
      out.shape.toList() shouldBe listOf(2, 6)
      out.data.shouldBeClose(DoubleArray(12) { it.toDouble() })
    }
  }

  test("dense: x W + b") {
    LayerHarness(Dense(3), intArrayOf(2), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f, 5f, 6f))
      h.set("bias", floatArrayOf(0.1f, 0.2f, 0.3f))
      h.out(floatArrayOf(1f, 2f)).data.shouldBeClose(doubleArrayOf(9.1, 12.2, 15.3))
    }
  }

  test("dense on a sequence acts on the last axis") {
    LayerHarness(Dense(1, useBias = false), intArrayOf(2, 2), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 10f))
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.shape.toList() shouldBe listOf(1, 2, 1)
      out.data.shouldBeClose(doubleArrayOf(21.0, 43.0))
    }
  }

  test("embedding looks up rows of its table") {
    LayerHarness(Embedding(4, 2), intArrayOf(3), 1).use { h ->
      h.set("embeddings", floatArrayOf(0f, 1f, 10f, 11f, 20f, 21f, 30f, 31f))
      val out = h.trainer.run(h.intBatch(intArrayOf(3, 0, 2)), listOf("out")).getValue("out")
      out.shape.toList() shouldBe listOf(1, 3, 2)
      out.data.shouldBeClose(doubleArrayOf(30.0, 31.0, 0.0, 1.0, 20.0, 21.0))
    }
  }

  test("dropout: identity in inference; in training zeros or x / (1 - rate), the same mask for the same step") {
    // rate 0.3, not 0.5, so that a rate taken for the keep probability shows
    LayerHarness(Dropout(0.3f), intArrayOf(1000), 1).use { h ->
      val x = FloatArray(1000) { 1f }
      h.out(x).data.all { it == 1f } shouldBe true
      val a = h.out(x, training = true).data
      a.all { it == 0f || Math.abs(it - 1 / 0.7) < 1e-6 } shouldBe true
      // 300 zeros expected, sd sqrt(1000 * 0.3 * 0.7) = 14.5: within 5 sd
      (a.count { it == 0f } / 1000.0) shouldBe (0.3 plusOrMinus 0.072)
      h.out(x, training = true).data.contentEquals(a) shouldBe true
    }
  }

  test("batch norm: batch statistics in training, moving statistics in inference, updated by a train step") {
    val x = floatArrayOf(1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f)
    LayerHarness(BatchNorm(), intArrayOf(2), 4, optimizer = Sgd(LearningRateSchedule { 0.0 })).use { h ->
      // mean (2.5, 25), biased variance (1.25, 125)
      val expectTrain = DoubleArray(8) { i ->
        val c = i % 2
        (x[i] - doubleArrayOf(2.5, 25.0)[c]) / sqrt(doubleArrayOf(1.25, 125.0)[c] + 1e-3)
      }
      h.out(x, training = true).data.shouldBeClose(expectTrain, 1e-5)
      // fresh moving statistics: mean 0, variance 1
      h.out(x).data.shouldBeClose(DoubleArray(8) { x[it] / sqrt(1.001) }, 1e-5)
      h.trainer.fit(ArrayDataset(mapOf("x" to FloatHostArray(x, intArrayOf(4, 2)))), epochs = 1, batchSize = 4)
      h.get("moving_mean").shouldBeClose(doubleArrayOf(0.025, 0.25), 1e-6)
      h.get("moving_variance").shouldBeClose(doubleArrayOf(0.99 + 0.0125, 0.99 + 1.25), 1e-5)
    }
  }

  test("activations at -1, 0, 1, 2") {
    val x = floatArrayOf(-1f, 0f, 1f, 2f)
    val cases = mapOf(
      Activations.linear to doubleArrayOf(-1.0, 0.0, 1.0, 2.0),
      Activations.relu to doubleArrayOf(0.0, 0.0, 1.0, 2.0),
      Activations.tanh to x.map { tanh(it.toDouble()) }.toDoubleArray(),
      Activations.sigmoid to x.map { 1 / (1 + exp(-it.toDouble())) }.toDoubleArray(),
      Activations.softplus to x.map { ln(1 + exp(it.toDouble())) }.toDoubleArray(),
      Activations.elu to doubleArrayOf(exp(-1.0) - 1, 0.0, 1.0, 2.0),
      Activations.selu to doubleArrayOf(1.0507009873554805 * 1.6732632423543772 * (exp(-1.0) - 1), 0.0, 1.0507009873554805, 2 * 1.0507009873554805),
      // x * Phi(x) with Phi(-1) = 0.158655254, Phi(1) = 0.841344746, Phi(2) = 0.977249868
      Activations.gelu to doubleArrayOf(-0.158655254, 0.0, 0.841344746, 1.954499736),
      Activations.leakyRelu() to doubleArrayOf(-0.3, 0.0, 1.0, 2.0),
      Activations.leakyRelu(0.1f) to doubleArrayOf(-0.1, 0.0, 1.0, 2.0),
    )
    for ((activation, expected) in cases) {
      LayerHarness(ActivationLayer(activation), intArrayOf(4), 1).use { h -> h.out(x).data.shouldBeClose(expected, 1e-5) }
    }
  }

  test("layers reject inputs they cannot take, naming the layer and the shape") {
    shouldThrow<IllegalArgumentException> { Conv2D(8, 3).outputShape(intArrayOf(28, 28)) }.message shouldContain "[28, 28]"
    shouldThrow<IllegalArgumentException> { Conv2D(8, 5).outputShape(intArrayOf(3, 3, 1)) }.message shouldContain "does not fit"
    shouldThrow<IllegalArgumentException> { Dropout(1f) }.message shouldContain "rate"
    shouldThrow<IllegalArgumentException> { Dense(0) }.message shouldContain "units"
    val e = shouldThrow<IllegalArgumentException> { sequential { flatten(); conv2d(4, 2) }.shapes(intArrayOf(4, 4, 1)) }
    e.message shouldContain "conv2d"
    e.message shouldContain "[16]"
  }
})
