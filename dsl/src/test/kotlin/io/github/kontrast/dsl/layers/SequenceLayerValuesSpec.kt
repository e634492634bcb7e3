package io.github.kontrast.dsl.layers

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.exp
import kotlin.math.sqrt

/** The text encoder's layers against numbers worked out by hand, and padding shown to change nothing. */
class SequenceLayerValuesSpec : FunSpec({
  fun FloatArray.shouldBeClose(expected: DoubleArray, tol: Double = 1e-5) {
    size shouldBe expected.size
    forEachIndexed { i, v -> v.toDouble() shouldBe (expected[i] plusOrMinus tol) }
  }

  fun identity(n: Int) = FloatArray(n * n) { if (it / n == it % n) 1f else 0f }

  test("layer norm: each position to mean 0 and variance 1, then gamma and beta") {
    LayerHarness(LayerNorm(epsilon = 1e-5f), intArrayOf(2, 4), 1).use { h ->
      h.set("gamma", floatArrayOf(1f, 2f, 1f, 1f))
      h.set("beta", floatArrayOf(0f, 0f, 1f, 0f))
      val out = h.out(floatArrayOf(1f, 2f, 3f, 4f, 10f, 10f, 10f, 10f))
      // [1,2,3,4]: mean 2.5, biased variance 1.25; a constant row has variance 0 and normalizes to 0
      val s = 1 / sqrt(1.25 + 1e-5)
      out.data.shouldBeClose(doubleArrayOf(-1.5 * s, 2 * -0.5 * s, 0.5 * s + 1, 1.5 * s, 0.0, 0.0, 1.0, 0.0))
    }
  }

  test("positional embedding adds row i of its [L, D] table to position i") {
    PositionalEmbedding().parameters(intArrayOf(3, 2)).single().shape.toList() shouldBe listOf(3, 2)
    LayerHarness(PositionalEmbedding(), intArrayOf(3, 2), 2).use { h ->
      h.set("embeddings", floatArrayOf(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f))
      h.out(FloatArray(12) { it.toFloat() }).data.shouldBeClose(
        doubleArrayOf(0.1, 1.2, 2.3, 3.4, 4.5, 5.6, 6.1, 7.2, 8.3, 9.4, 10.5, 11.6),
      )
    }
  }

  test("masked mean pooling averages the tokens only; all padding gives zeros") {
    MaskedHarness(listOf(MaskedMeanPooling()), intArrayOf(3, 2), 3).use { h ->
      val x = floatArrayOf(1f, 10f, 3f, 30f, 100f, 1000f, 1f, 10f, 3f, 30f, 100f, 1000f, 7f, 7f, 7f, 7f, 7f, 7f)
      val out = h.out(h.floats(x), floatArrayOf(1f, 1f, 0f, 1f, 1f, 1f, 0f, 0f, 0f))
      out.shape.toList() shouldBe listOf(3, 2)
      out.data.shouldBeClose(doubleArrayOf(2.0, 20.0, 104.0 / 3, 1040.0 / 3, 0.0, 0.0), 1e-4)
    }
  }

  test("attention, one head, identity projections: softmax(q k / sqrt 2) over the tokens, padded key ignored") {
    MaskedHarness(listOf(MultiHeadAttention(1)), intArrayOf(3, 2), 1).use { h ->
      for (p in listOf("query", "key", "value", "output")) h.set("$p/kernel", identity(2))
      val x = floatArrayOf(1f, 0f, 0f, 1f, 5f, 5f)
      val out = h.out(h.floats(x), floatArrayOf(1f, 1f, 0f)).data
      // query 0 = [1, 0]: scores [1, 0] / sqrt 2 against the two tokens
      val w = exp(1 / sqrt(2.0)) / (exp(1 / sqrt(2.0)) + 1)
      out.copyOfRange(0, 4).shouldBeClose(doubleArrayOf(w, 1 - w, 1 - w, w))
      // the padded query still attends to the tokens only: scores [5, 5] / sqrt 2, equal weights
      out.copyOfRange(4, 6).shouldBeClose(doubleArrayOf(0.5, 0.5))
    }
  }

  test("attention, two heads of one feature each: every head attends on its own") {
    MaskedHarness(listOf(MultiHeadAttention(2)), intArrayOf(2, 2), 1).use { h ->
      for (p in listOf("query", "key", "value", "output")) h.set("$p/kernel", identity(2))
      val out = h.out(h.floats(floatArrayOf(1f, 0f, 0f, 1f)), floatArrayOf(1f, 1f)).data
      // head 1 sees feature 0: query 0 scores [1, 0], values [1, 0]; head 2 sees feature 1: query 0 scores [0, 0], values [0, 1]
      val e = exp(1.0) / (exp(1.0) + 1)
      out.shouldBeClose(doubleArrayOf(e, 0.5, 0.5, e))
    }
  }

  test("transformer block: pre-norm attention and MLP with residuals, by hand") {
    MaskedHarness(listOf(TransformerBlock(1, 2, Activations.relu)), intArrayOf(2, 2), 2).use { h ->
      for (p in listOf("attention/query", "attention/key", "attention/value", "attention/output")) h.set("$p/kernel", identity(2))
      h.set("mlp1/kernel", identity(2))
      h.set("mlp2/kernel", identity(2))
      val x = floatArrayOf(1f, 3f, 2f, 2f, 1f, 3f, 2f, 2f)
      val out = h.out(h.floats(x), floatArrayOf(1f, 1f, 1f, 0f)).data
      fun norm(a: Double, b: Double): DoubleArray {
        val m = (a + b) / 2
        val s = 1 / sqrt(((a - m) * (a - m) + (b - m) * (b - m)) / 2 + 1e-5)
        return doubleArrayOf((a - m) * s, (b - m) * s)
      }
      fun relu(v: Double) = maxOf(0.0, v)
      // example 1, both tokens: n = norm(x) = [[-c, c], [0, 0]], c ~ 1
      val n0 = norm(1.0, 3.0)
      val s00 = (n0[0] * n0[0] + n0[1] * n0[1]) / sqrt(2.0)
      val w = exp(s00) / (exp(s00) + 1) // query 0 against keys n0 and 0
      val h0 = doubleArrayOf(1 + w * n0[0], 3 + w * n0[1])
      val h1 = doubleArrayOf(2 + 0.5 * n0[0], 2 + 0.5 * n0[1]) // query 1 is 0: equal weights
      fun block(hv: DoubleArray): DoubleArray {
        val m = norm(hv[0], hv[1])
        return doubleArrayOf(hv[0] + relu(m[0]), hv[1] + relu(m[1]))
      }
      out.copyOfRange(0, 4).shouldBeClose(block(h0) + block(h1), 1e-4)
      // example 2, second position padded: token 0 attends to itself only
      out.copyOfRange(4, 6).shouldBeClose(block(doubleArrayOf(1 + n0[0], 3 + n0[1])), 1e-4)
    }
  }

  test("padding is ignored: what sits at padded positions changes no token's output, bit for bit") {
    val layers = listOf(
      listOf<Layer>(MultiHeadAttention(2)),
      listOf<Layer>(TransformerBlock(2, 6)),
      listOf<Layer>(PositionalEmbedding(), TransformerBlock(2, 6), TransformerBlock(2, 6), LayerNorm(), MaskedMeanPooling()),
    )
    for (stack in layers) {
      MaskedHarness(stack, intArrayOf(4, 4), 2).use { h ->
        val mask = floatArrayOf(1f, 1f, 0f, 0f, 1f, 1f, 1f, 0f)
        val a = FloatArray(32) { ((it * 37) % 11 - 5) * 0.3f }
        val b = a.copyOf()
        for (i in mask.indices) if (mask[i] == 0f) for (d in 0 until 4) b[i * 4 + d] = 1000f * (d + 1) - 7f * i
        val outA = h.out(h.floats(a), mask)
        val outB = h.out(h.floats(b), mask)
        if (stack.last() is MaskedMeanPooling) {
          outB.data.toList() shouldBe outA.data.toList()
        } else {
          for (i in mask.indices) if (mask[i] == 1f) {
            outB.data.copyOfRange(i * 4, i * 4 + 4).toList() shouldBe outA.data.copyOfRange(i * 4, i * 4 + 4).toList()
          }
        }
      }
    }
  }

  test("a text encoder from ids: embedding, positions, block, pooling; padded ids have no effect and get no gradient") {
    val stack = listOf(Embedding(6, 4), PositionalEmbedding(), TransformerBlock(2, 8), MaskedMeanPooling())
    MaskedHarness(stack, intArrayOf(4), 2).use { h ->
      val mask = floatArrayOf(1f, 1f, 0f, 0f, 1f, 1f, 1f, 0f)
      val a = h.out(h.ints(intArrayOf(2, 3, 0, 0, 4, 2, 5, 0)), mask)
      val b = h.out(h.ints(intArrayOf(2, 3, 5, 1, 4, 2, 5, 3)), mask)
      a.shape.toList() shouldBe listOf(2, 4)
      b.data.toList() shouldBe a.data.toList()
      // the loss reads only pooled tokens: the rows of padded-only ids (0 and 1) get exactly zero gradient
      val g = h.run(h.ints(intArrayOf(2, 3, 0, 0, 4, 2, 5, 0)), mask, listOf("grad/embedding/embeddings")).values.single().data
      g.copyOfRange(0, 8).toList() shouldBe List(8) { 0f }
      g.copyOfRange(8, 24).any { it != 0f } shouldBe true
    }
  }

  test("l2 normalize: unit rows, a zero row stays zero") {
    LayerHarness(L2Normalize(), intArrayOf(3), 2).use { h ->
      h.out(floatArrayOf(3f, 0f, 4f, 0f, 0f, 0f)).data.shouldBeClose(doubleArrayOf(0.6, 0.0, 0.8, 0.0, 0.0, 0.0))
    }
  }

  test("bad shapes fail when the model is built, naming what was expected") {
    shouldThrow<IllegalArgumentException> { MultiHeadAttention(3).outputShape(intArrayOf(4, 8)) }.message shouldContain "divisible"
    shouldThrow<IllegalArgumentException> { MaskedMeanPooling().outputShape(intArrayOf(8)) }.message shouldContain "sequence [length, features]"
    shouldThrow<IllegalArgumentException> { TransformerBlock(2, 0) }.message shouldContain "mlpDim"
    shouldThrow<IllegalArgumentException> { PositionalEmbedding().outputShape(intArrayOf(2, 3, 4)) }.message shouldContain "[length, features]"
    val e = shouldThrow<IllegalArgumentException> { Sequential(listOf(Embedding(5, 4), MultiHeadAttention(3))).shapes(intArrayOf(6)) }
    e.message shouldContain "multi_head_attention"
    MultiHeadAttention(3, keyDim = 5).outputShape(intArrayOf(4, 8)).toList() shouldBe listOf(4, 8)
  }
})
