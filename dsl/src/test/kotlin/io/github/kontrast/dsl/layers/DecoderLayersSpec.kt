package io.github.kontrast.dsl.layers

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

/**
 * The layers a decoder needs (transposed convolution, reshape, upsampling): outputs against
 * numbers worked out by hand, and gradients against central finite differences at every element
 * ([LayerHarness.checkGradients]: 5e-4 absolute plus 5e-3 relative).
 */
class DecoderLayersSpec : FunSpec({
  fun FloatArray.shouldBeClose(expected: DoubleArray, tol: Double = 1e-5) {
    size shouldBe expected.size
    forEachIndexed { i, v -> withClue("element $i") { v.toDouble() shouldBe (expected[i] plusOrMinus tol) } }
  }

  // ---- values ----

  test("conv2dTranspose, stride 2, valid: every input pixel stamps the kernel onto its own 2x2 block") {
    LayerHarness(Conv2DTranspose(1, 2, strideHeight = 2, useBias = false), intArrayOf(2, 2, 1), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 10f, 100f, 1000f))
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.shape.toList() shouldBe listOf(1, 4, 4, 1)
      out.data.shouldBeClose(
        doubleArrayOf(
          1.0, 10.0, 2.0, 20.0,
          100.0, 1000.0, 200.0, 2000.0,
          3.0, 30.0, 4.0, 40.0,
          300.0, 3000.0, 400.0, 4000.0,
        ),
      )
    }
  }

  test("conv2dTranspose, stride 1, valid: overlapping stamps add up (2x2 -> 3x3), plus the bias") {
    LayerHarness(Conv2DTranspose(1, 2), intArrayOf(2, 2, 1), 1).use { h ->
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f))
      h.set("bias", floatArrayOf(0.5f))
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.shape.toList() shouldBe listOf(1, 3, 3, 1)
      // out[p][q] = sum x[i][j] k[p-i][q-j]: e.g. the centre is 1*4 + 2*3 + 3*2 + 4*1 = 20
      out.data.shouldBeClose(doubleArrayOf(1.0, 4.0, 4.0, 6.0, 20.0, 16.0, 9.0, 24.0, 16.0).map { it + 0.5 }.toDoubleArray())
    }
  }

  test("conv2dTranspose, same padding, stride 2, kernel 3: 2x2 -> 4x4, the stamp that falls off the bottom-right edge is cut") {
    LayerHarness(Conv2DTranspose(1, 3, strideHeight = 2, padding = Padding.SAME, useBias = false), intArrayOf(2, 2, 1), 1).use { h ->
      h.set("kernel", FloatArray(9) { 1f })
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.shape.toList() shouldBe listOf(1, 4, 4, 1)
      // TensorFlow pads a 4-wide map 0 before and 1 after for kernel 3 at stride 2, so x[i][j]
      // covers rows 2i..2i+2 and columns 2j..2j+2 of the output, clipped to 0..3
      out.data.shouldBeClose(
        doubleArrayOf(
          1.0, 1.0, 3.0, 2.0,
          1.0, 1.0, 3.0, 2.0,
          4.0, 4.0, 10.0, 6.0,
          3.0, 3.0, 7.0, 4.0,
        ),
      )
    }
  }

  test("conv2dTranspose's kernel is [kh, kw, filters, inChannels], as Keras stores it") {
    LayerHarness(Conv2DTranspose(2, 1, useBias = false), intArrayOf(1, 1, 2), 1).use { h ->
      // k[f][c] = [[1, 2], [3, 4]]: out_f = sum_c x_c k[f][c] (a conv2d kernel [c][f] would give 310, 420)
      h.set("kernel", floatArrayOf(1f, 2f, 3f, 4f))
      h.out(floatArrayOf(10f, 100f)).data.shouldBeClose(doubleArrayOf(210.0, 430.0))
    }
  }

  test("conv2dTranspose output sizes follow Keras: in*s with same padding, in*s + max(k - s, 0) with valid") {
    Conv2DTranspose(8, 3, strideHeight = 2).outputShape(intArrayOf(7, 7, 4)).toList() shouldBe listOf(15, 15, 8)
    Conv2DTranspose(8, 3, strideHeight = 2, padding = Padding.SAME).outputShape(intArrayOf(7, 7, 4)).toList() shouldBe listOf(14, 14, 8)
    Conv2DTranspose(8, 1, strideHeight = 2).outputShape(intArrayOf(7, 7, 4)).toList() shouldBe listOf(14, 14, 8)
    Conv2DTranspose(8, 3, kernelWidth = 2, strideHeight = 1, strideWidth = 3).outputShape(intArrayOf(5, 4, 4)).toList() shouldBe listOf(7, 12, 8)
    // parameters: 3*3*8*4 + 8
    Conv2DTranspose(8, 3).parameters(intArrayOf(7, 7, 4)).sumOf { it.count } shouldBe 296
    Conv2DTranspose(8, 3).parameters(intArrayOf(7, 7, 4)).first().shape.toList() shouldBe listOf(3, 3, 8, 4)
  }

  test("conv2dTranspose with a batch of two and a relu: each example on its own") {
    LayerHarness(Conv2DTranspose(1, 1, strideHeight = 2, activation = Activations.relu, useBias = false), intArrayOf(1, 1, 1), 2).use { h ->
      h.set("kernel", floatArrayOf(2f))
      // 1x1 -> 2x2 at stride 2 with a 1x1 kernel: the pixel lands top-left, zeros elsewhere
      h.out(floatArrayOf(3f, -1f)).data.shouldBeClose(doubleArrayOf(6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    }
  }

  test("reshape keeps the row-major order; -1 takes what the other dimensions leave") {
    LayerHarness(Reshape(intArrayOf(3, 2)), intArrayOf(6), 2).use { h ->
      val out = h.out(FloatArray(12) { it.toFloat() })
      out.shape.toList() shouldBe listOf(2, 3, 2)
      out.data.shouldBeClose(DoubleArray(12) { it.toDouble() })
    }
    Reshape(intArrayOf(-1, 7, 7)).outputShape(intArrayOf(7 * 7 * 32)).toList() shouldBe listOf(32, 7, 7)
    Reshape(intArrayOf(7, 7, -1)).outputShape(intArrayOf(2, 49)).toList() shouldBe listOf(7, 7, 2)
  }

  test("upSampling, nearest: every pixel repeated, channels kept apart; sizes may differ per axis") {
    LayerHarness(UpSampling2D(2), intArrayOf(2, 2, 1), 1).use { h ->
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.shape.toList() shouldBe listOf(1, 4, 4, 1)
      out.data.shouldBeClose(doubleArrayOf(1.0, 1.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 3.0, 3.0, 4.0, 4.0))
    }
    LayerHarness(UpSampling2D(1, 3), intArrayOf(1, 2, 2), 1).use { h ->
      // one row of two pixels with channels (1, 10) and (2, 20), each repeated 3 times across
      val out = h.out(floatArrayOf(1f, 10f, 2f, 20f))
      out.shape.toList() shouldBe listOf(1, 1, 6, 2)
      out.data.shouldBeClose(doubleArrayOf(1.0, 10.0, 1.0, 10.0, 1.0, 10.0, 2.0, 20.0, 2.0, 20.0, 2.0, 20.0))
    }
  }

  test("upSampling, bilinear: half-pixel centres, edges clamped, as tf.image.resize") {
    LayerHarness(UpSampling2D(2, interpolation = UpSampling2D.Interpolation.BILINEAR), intArrayOf(2, 2, 1), 1).use { h ->
      // new pixel r of 4 samples the old grid at (r + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped
      // to [0, 1]: weights on the second row (column) 0, 0.25, 0.75, 1; out = 1 + w_col + 2 w_row
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f))
      out.data.shouldBeClose(
        doubleArrayOf(
          1.0, 1.25, 1.75, 2.0,
          1.5, 1.75, 2.25, 2.5,
          2.5, 2.75, 3.25, 3.5,
          3.0, 3.25, 3.75, 4.0,
        ),
      )
    }
  }

  test("a decoder stack in the DSL: dense -> reshape -> transposed convolutions back to 28x28x1") {
    val decoder = sequential {
      name = "decoder"
      dense(7 * 7 * 16, activation = relu)
      reshape(7, 7, 16)
      conv2dTranspose(16, 3, activation = relu, strides = 2, padding = Padding.SAME)
      upSampling(2)
      conv2d(1, 3, activation = sigmoid, padding = Padding.SAME)
    }
    val s = decoder.summary(intArrayOf(2))
    s.rows.map { it.outputShape } shouldBe listOf(
      "[(None, 2)]", "(None, 784)", "(None, 7, 7, 16)", "(None, 14, 14, 16)", "(None, 28, 28, 16)", "(None, 28, 28, 1)",
    )
    s.rows.map { it.name } shouldBe listOf("input", "dense", "reshape", "conv2d_transpose", "up_sampling2d", "conv2d")
    s.rows.map { it.type } shouldBe listOf("InputLayer", "Dense", "Reshape", "Conv2DTranspose", "UpSampling2D", "Conv2D")
    // 2*784+784, 0, 3*3*16*16+16, 0, 3*3*16+1
    s.rows.map { it.params } shouldBe listOf(0L, 2_352L, 0L, 2_320L, 0L, 145L)
  }

  test("bad arguments and inputs fail naming what was expected and what came") {
    shouldThrow<IllegalArgumentException> { Conv2DTranspose(0, 3) }.message shouldContain "filters must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { Conv2DTranspose(4, 3, strideHeight = 0) }.message shouldContain "strides must be > 0, got 0x0"
    shouldThrow<IllegalArgumentException> { Conv2DTranspose(4, 3).outputShape(intArrayOf(10)) }.message shouldContain
      "Conv2DTranspose expects [height, width, channels] (rank 3 per example), got input shape [10]"
    shouldThrow<IllegalArgumentException> { UpSampling2D(0) }.message shouldContain "UpSampling2D size must be > 0, got 0x0"
    shouldThrow<IllegalArgumentException> { UpSampling2D(2).outputShape(intArrayOf(4, 4)) }.message shouldContain
      "UpSampling2D expects [height, width, channels] (rank 3 per example), got input shape [4, 4]"
    shouldThrow<IllegalArgumentException> { Reshape(intArrayOf(7, 7, 16)).outputShape(intArrayOf(100)) }.message shouldBe
      "Reshape target [7, 7, 16] holds 784 elements, the input [100] holds 100"
    shouldThrow<IllegalArgumentException> { Reshape(intArrayOf(-1, 3)).outputShape(intArrayOf(10)) }.message shouldBe
      "Reshape cannot fill [-1, 3] from [10]: 10 elements are not a multiple of 3"
    shouldThrow<IllegalArgumentException> { Reshape(intArrayOf(-1, -1)) }.message shouldBe "Reshape target may have one -1, got [-1, -1]"
    shouldThrow<IllegalArgumentException> { Reshape(intArrayOf(0, 3)) }.message shouldBe "Reshape target dimensions must be > 0 or one -1, got [0, 3]"
    // in a model, the message also names the layer
    shouldThrow<IllegalArgumentException> { sequential { dense(10); reshape(3, 3) }.outputShape(intArrayOf(4)) }.message shouldBe
      "layer 'reshape' (Reshape): Reshape target [3, 3] holds 9 elements, the input [10] holds 10"
  }

  // ---- gradients ----

  fun gradientsMatch(layer: Layer, shape: IntArray, batch: Int = 2) {
    LayerHarness(layer, shape, batch).use { h ->
      val r = SplittableRandom(11)
      val n = batch * shape.fold(1) { a, b -> a * b }
      // inputs and weights at least 0.2 from 0, so that a relu's kink stays outside the finite differences
      val x = FloatArray(n) { ((0.2 + r.nextDouble()) * if (r.nextBoolean()) 1 else -1).toFloat() }
      for (p in h.paramNames) h.set(p, FloatArray(h.get(p).size) { ((0.2 + r.nextDouble()) * if (r.nextBoolean()) 1 else -1).toFloat() })
      val c = h.checkGradients(x)
      withClue("${layer.typeName} on ${shape.contentToString()}: $c") {
        c.mismatches.shouldBeEmpty()
        c.checked shouldBe c.total
        c.total shouldBe n + layer.parameters(shape).sumOf { it.count }
      }
    }
  }

  test("conv2dTranspose gradients (input, kernel, bias) match finite differences at every element") {
    gradientsMatch(Conv2DTranspose(2, 2, strideHeight = 2), intArrayOf(2, 2, 3))
    gradientsMatch(Conv2DTranspose(2, 3, strideHeight = 2, padding = Padding.SAME, activation = Activations.tanh), intArrayOf(2, 3, 2))
    gradientsMatch(Conv2DTranspose(1, 3, kernelWidth = 2, strideHeight = 1, strideWidth = 2), intArrayOf(2, 2, 2))
  }

  test("reshape and upSampling gradients match finite differences at every element") {
    gradientsMatch(Reshape(intArrayOf(2, -1)), intArrayOf(3, 2))
    gradientsMatch(UpSampling2D(2, 3), intArrayOf(2, 2, 2))
    gradientsMatch(UpSampling2D(2, interpolation = UpSampling2D.Interpolation.BILINEAR), intArrayOf(3, 2, 2))
  }

  test("upSampling's input gradient by hand: each pixel collects the loss weights of the block it was copied to") {
    LayerHarness(UpSampling2D(2), intArrayOf(2, 2, 1), 1).use { h ->
      val x = floatArrayOf(0.5f, -1.5f, 2f, 1f)
      val grad = h.trainer.run(h.batch(x), listOf("grad/x")).getValue("grad/x").data
      // each input pixel feeds a 2x2 block of the 4x4 output: its gradient is the sum of those 4 loss weights
      val w = FloatArray(16) { ((it % 7) * 0.4f + 0.3f) * if (it % 2 == 0) 1 else -1 }
      val expected = DoubleArray(4) { p ->
        val (i, j) = p / 2 to p % 2
        (0 until 2).sumOf { a -> (0 until 2).sumOf { c -> w[(2 * i + a) * 4 + 2 * j + c].toDouble() } }
      }
      grad.shouldBeClose(expected)
    }
  }
})
