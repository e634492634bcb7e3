package io.github.kontrast.dsl.layers

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * The text encoder's layers: analytic gradients for the input and every parameter against central
 * finite differences at every element (5e-4 absolute + 5e-3 relative), with padding in the mask.
 */
class SequenceLayerGradientsSpec : FunSpec({
  // distinct values of both signs away from 0, shuffled by a fixed stride
  fun input(n: Int): FloatArray = FloatArray(n) { k -> val j = (k * 7) % n; ((0.1 + 1.5 * j / n) * if (j % 2 == 0) 1 else -1).toFloat() }

  val mask = floatArrayOf(1f, 1f, 1f, 0f, 1f, 1f, 0f, 0f) // two examples of length 4: 3 and 2 tokens

  fun check(layers: List<Layer>, features: Int, expectedElements: Int) {
    MaskedHarness(layers, intArrayOf(4, features), 2).use { h ->
      val c = h.checkGradients(h.floats(input(8 * features)), mask)
      withClue(c.toString()) {
        c.mismatches.shouldBeEmpty()
        c.checked shouldBe expectedElements
      }
    }
  }

  test("the check catches a gradient 1% off") {
    val skewed = object : Layer(null) {
      override val typeName get() = "Skewed"
      override val kerasName get() = "skewed"
      override fun outputShape(input: IntArray) = input.copyOf()
      override fun forward(ctx: ForwardContext, x: Operand<*>, params: Map<String, Operand<TFloat32>>): Operand<TFloat32> {
        val v = floats(ctx, x)
        return ctx.tf.math.add(v, ctx.tf.math.mul(ctx.tf.stopGradient(v), ctx.tf.constant(0.01f)))
      }
    }
    MaskedHarness(listOf(skewed), intArrayOf(4, 2), 2).use { h ->
      h.checkGradients(h.floats(input(16)), mask).mismatches.size shouldBe 16
    }
  }

  test("layer norm") { check(listOf(LayerNorm()), 3, 24 + 6) }

  test("positional embedding") { check(listOf(PositionalEmbedding()), 3, 24 + 12) }

  test("masked mean pooling") { check(listOf(MaskedMeanPooling()), 3, 24) }

  test("l2 normalize after pooling") { check(listOf(MaskedMeanPooling(), L2Normalize()), 3, 24) }

  test("multi-head attention, two heads, with padding") { check(listOf(MultiHeadAttention(2)), 4, 32 + 4 * (16 + 4)) }

  test("transformer block with gelu, then masked pooling") {
    // norm1 8, attention 80, norm2 8, mlp1 4*6+6, mlp2 6*4+4
    check(listOf(TransformerBlock(2, 6), MaskedMeanPooling()), 4, 32 + 8 + 80 + 8 + 30 + 28)
  }

  test("a whole text encoder from ids: the embedding table's gradient") {
    val stack = listOf(Embedding(5, 4), PositionalEmbedding(), TransformerBlock(2, 6), LayerNorm(), MaskedMeanPooling())
    MaskedHarness(stack, intArrayOf(4), 2).use { h ->
      // O(1) vectors: the default tables (uniform 0.05, normal 0.02) are smaller than the finite-difference
      // step, and layer norm of such small vectors is too curved for a difference to follow
      h.set("embedding/embeddings", input(20))
      h.set("positional_embedding/embeddings", input(16).map { it * 0.5f }.toFloatArray())
      val c = h.checkGradients(h.ints(intArrayOf(2, 3, 2, 0, 4, 1, 0, 0)), mask)
      withClue(c.toString()) {
        c.mismatches.shouldBeEmpty()
        c.checked shouldBe 20 + 16 + 154 + 8
      }
    }
  }
})
