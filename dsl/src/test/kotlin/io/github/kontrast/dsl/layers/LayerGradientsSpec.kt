package io.github.kontrast.dsl.layers

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import java.util.SplittableRandom

/**
 * Every layer has gradients in TensorFlow's C++ registry (some ops have none in TF Java): the
 * analytic gradient of each layer, for its input and its parameters, matches central finite
 * differences.
 */
class LayerGradientsSpec : FunSpec({
  fun input(n: Int, seed: Long = 3): FloatArray {
    val r = SplittableRandom(seed)
    // away from 0 so that relu-like kinks and max-pool ties stay out of the finite differences
    return FloatArray(n) { ((r.nextDouble() * 2 - 1) * 1.5 + if (it % 2 == 0) 0.1 else -0.1).toFloat() }
  }

  fun check(layer: Layer, shape: IntArray, batch: Int = 2, training: Boolean = false, tol: Double = 2e-2) {
    LayerHarness(layer, shape, batch).use { h ->
      val n = batch * shape.fold(1) { a, b -> a * b }
      h.gradientError(input(n), training) shouldBeLessThan tol
    }
  }

  test("conv2d, valid and same padding, with relu") {
    check(Conv2D(3, 2, activation = Activations.relu), intArrayOf(4, 4, 2))
    check(Conv2D(2, 3, padding = Padding.SAME, strideHeight = 2), intArrayOf(5, 5, 1))
  }

  test("max and average pooling") {
    check(MaxPool2D(2), intArrayOf(4, 4, 2))
    check(AvgPool2D(2), intArrayOf(4, 4, 2))
  }

  test("global average pooling and flatten") {
    check(GlobalAveragePooling2D(), intArrayOf(3, 3, 2))
    check(Flatten(), intArrayOf(2, 3))
  }

  test("dense, on vectors and on sequences") {
    check(Dense(3, Activations.tanh), intArrayOf(4))
    check(Dense(2), intArrayOf(3, 4))
  }

  test("dropout in training (fixed mask for the step) and in inference") {
    check(Dropout(0.4f), intArrayOf(20), training = true)
    check(Dropout(0.4f), intArrayOf(20), training = false)
  }

  test("batch norm in training (through the batch statistics) and in inference") {
    check(BatchNorm(), intArrayOf(3), batch = 5, training = true)
    check(BatchNorm(), intArrayOf(3), batch = 5, training = false)
  }

  test("embedding: gradient for the table") {
    LayerHarness(Embedding(5, 3), intArrayOf(4), 2).use { h ->
      h.gradientError(FloatArray(0), given = h.intBatch(intArrayOf(0, 3, 3, 1, 4, 2, 0, 0))) shouldBeLessThan 2e-2
    }
  }

  test("every activation") {
    listOf(
      Activations.relu, Activations.tanh, Activations.sigmoid, Activations.softplus, Activations.elu,
      Activations.selu, Activations.gelu, Activations.leakyRelu(), Activations.linear,
    ).forEach { check(ActivationLayer(it), intArrayOf(6)) }
  }
})
