package io.github.kontrast.dsl.layers

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32
import java.util.SplittableRandom
import kotlin.math.abs

/**
 * Every layer has gradients in TensorFlow's C++ registry (some ops have none in TF Java): the
 * analytic gradient of each layer, for its input and its parameters, matches central finite
 * differences at every element, within 5e-4 absolute plus 5e-3 relative ([LayerHarness.checkGradients]
 * explains the step). The shapes are small so that checking every element stays fast.
 */
class LayerGradientsSpec : FunSpec({
  /**
   * [n] distinct values, shuffled: magnitudes 0.1 + 1.5 k / n with alternating signs. Every value
   * is at least 0.1 from 0 and 3 / n from any other, both far more than a finite-difference step
   * (4.9e-3), so no relu-like kink and no max-pool tie lies within a step of the input.
   */
  fun input(n: Int, seed: Long = 3): FloatArray {
    require(n <= 150) { "n: expected at most 150 values (3 / n must stay well above the step), got $n" }
    val v = FloatArray(n) { k -> ((0.1 + 1.5 * k / n) * if (k % 2 == 0) 1 else -1).toFloat() }
    val r = SplittableRandom(seed)
    for (i in n - 1 downTo 1) {
      val j = r.nextInt(i + 1)
      val t = v[i]; v[i] = v[j]; v[j] = t
    }
    return v
  }

  fun trainableCount(layer: Layer, shape: IntArray) = layer.parameters(shape).filter { it.trainable }.sumOf { it.count }

  fun check(layer: Layer, shape: IntArray, batch: Int = 2, training: Boolean = false) {
    LayerHarness(layer, shape, batch).use { h ->
      val n = batch * shape.fold(1) { a, b -> a * b }
      val c = h.checkGradients(input(n), training)
      withClue("${layer.typeName} on ${shape.contentToString()}, training=$training: $c") {
        c.mismatches.shouldBeEmpty()
        c.checked shouldBe c.total
        c.total shouldBe n + trainableCount(layer, shape)
      }
    }
  }

  test("the check itself catches a gradient 1% off") {
    // y = x + 0.01 * stopGradient(x): the forward pass says 1.01, the registered gradient 1
    val skewed = object : Layer(null) {
      override val typeName get() = "Skewed"
      override val kerasName get() = "skewed"
      override fun outputShape(input: IntArray) = input.copyOf()
      override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
        val v = floats(ctx, x)
        return ctx.tf.math.add(v, ctx.tf.math.mul(ctx.tf.stopGradient(v), ctx.tf.constant(0.01f)))
      }
    }
    LayerHarness(skewed, intArrayOf(6), 2).use { h ->
      val c = h.checkGradients(input(12))
      c.mismatches.map { it.index } shouldBe (0 until 12).toList()
      c.mismatches.forEach { (it.numeric / it.analytic) shouldBe (1.01 plusOrMinus 1e-3) }
    }
  }

  test("conv2d, valid padding with relu (no pre-activation near the kink)") {
    val shape = intArrayOf(3, 3, 2)
    val x = input(2 * 18)
    // the same layer without relu has the same kernel (weights come from the seed and the path)
    val pre = LayerHarness(Conv2D(3, 2), shape, 2).use { h -> h.get("kernel") to h.out(x).data }
    LayerHarness(Conv2D(3, 2, activation = Activations.relu), shape, 2).use { h ->
      h.get("kernel").toList() shouldBe pre.first.toList()
      // a step moves a pre-activation by at most step * max(1, |x|) * max(1, |kernel|)
      val reach = LayerHarness.STEP * maxOf(1f, x.maxOf { abs(it) }) * maxOf(1f, pre.first.maxOf { abs(it) })
      pre.second.minOf { abs(it) }.toDouble() shouldBeGreaterThan 2.0 * reach
      pre.second.any { it < 0f } shouldBe true // so relu does cut some outputs
    }
    check(Conv2D(3, 2, activation = Activations.relu), shape)
  }

  test("conv2d, same padding, stride 2") {
    check(Conv2D(2, 3, padding = Padding.SAME, strideHeight = 2), intArrayOf(5, 5, 1))
  }

  test("max and average pooling") {
    check(MaxPool2D(2), intArrayOf(4, 4, 2))
    check(AvgPool2D(2), intArrayOf(4, 4, 2))
    check(MaxPool2D(2, padding = Padding.SAME), intArrayOf(3, 3, 1))
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

  test("embedding: gradient for the table, repeated ids summed") {
    LayerHarness(Embedding(5, 3), intArrayOf(4), 2).use { h ->
      val c = h.checkGradients(FloatArray(0), given = h.intBatch(intArrayOf(0, 3, 3, 1, 4, 2, 0, 0)))
      withClue(c.toString()) {
        c.mismatches.shouldBeEmpty()
        c.checked shouldBe 15
      }
    }
  }

  test("every activation") {
    listOf(
      Activations.relu, Activations.tanh, Activations.sigmoid, Activations.softplus, Activations.elu,
      Activations.selu, Activations.gelu, Activations.leakyRelu(), Activations.linear,
    ).forEach { check(ActivationLayer(it), intArrayOf(6)) }
  }
})
