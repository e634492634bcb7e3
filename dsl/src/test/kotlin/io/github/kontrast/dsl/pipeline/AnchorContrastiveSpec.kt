package io.github.kontrast.dsl.pipeline

import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.tensorflow.EagerSession
import org.tensorflow.Graph
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import java.util.SplittableRandom

/**
 * Document 003's ContrastiveLossNegativeSampling as it was meant: one anchor against a batch, in
 * one vectorised call, equal to the per-pair loss of those pairs.
 */
class AnchorContrastiveSpec : FunSpec({
  // document 003's loss: label 1 = dissimilar, margin 1, no 1/2
  val loss = ContrastiveLoss.create().withConvention(PairConvention.ONE_MEANS_DISSIMILAR).withMargin(1f)

  test("by hand: distances 0.5, 1, 2, 1 with labels 0, 1, 1, 0 give (0.25 + 0 + 0 + 1) / 4") {
    EagerSession.create().use { s ->
      val tf = Ops.create(s)
      val anchor = tf.constant(floatArrayOf(0f, 0f))
      val batch = tf.constant(arrayOf(floatArrayOf(0.3f, 0.4f), floatArrayOf(1f, 0f), floatArrayOf(0f, 2f), floatArrayOf(0.6f, 0.8f)))
      val labels = tf.constant(floatArrayOf(0f, 1f, 1f, 0f))
      // similar: d^2 (0.25, 1.0); dissimilar: max(0, 1 - d)^2 (0 at d = 1 and d = 2); the 1e-6 of the distance moves it by ~1e-6
      loss.callAnchor(tf, anchor, batch, labels).asTensor().getFloat().toDouble() shouldBe (0.3125 plusOrMinus 1e-5)
    }
  }

  test("equals the document's per-pair loop (each pair's loss on its own, then the mean), for an anchor [D] or [1, D]") {
    val r = SplittableRandom(5)
    val n = 9
    val dim = 4
    val a = FloatArray(dim) { r.nextDouble(-1.0, 1.0).toFloat() }
    val b = Array(n) { FloatArray(dim) { r.nextDouble(-1.0, 1.0).toFloat() } }
    val y = FloatArray(n) { if (r.nextBoolean()) 1f else 0f }
    EagerSession.create().use { s ->
      val tf = Ops.create(s)
      val vectorised = loss.callAnchor(tf, tf.constant(a), tf.constant(b), tf.constant(y)).asTensor().getFloat().toDouble()
      val asRow = loss.callAnchor(tf, tf.constant(arrayOf(a)), tf.constant(b), tf.constant(y)).asTensor().getFloat().toDouble()
      var sum = 0.0
      for (i in 0 until n) {
        sum += loss.call(tf, tf.constant(arrayOf(a)), tf.constant(arrayOf(b[i])), tf.constant(floatArrayOf(y[i]))).asTensor().getFloat().toDouble()
      }
      vectorised shouldBe (sum / n plusOrMinus 1e-6)
      asRow shouldBe vectorised
      // and by hand in double, the document's formula with pairwise_distance's 1e-6
      val expected = (0 until n).sumOf { i ->
        val d = Math.sqrt((0 until dim).sumOf { k -> (a[k] - b[i][k] + 1e-6).let { it * it } })
        if (y[i] == 0f) d * d else maxOf(0.0, 1 - d).let { it * it }
      } / n
      vectorised shouldBe (expected plusOrMinus 1e-6)
    }
  }

  test("one call, no loop: the graph has the same operations for a batch of 3 and of 3,000") {
    fun ops(n: Int): List<String> = Graph().use { g ->
      val tf = Ops.create(g)
      loss.callAnchor(tf, tf.constant(FloatArray(8) { 0.1f }), tf.constant(Array(n) { FloatArray(8) }), tf.constant(FloatArray(n)))
      val types = mutableListOf<String>()
      g.operations().forEachRemaining { types += it.type() }
      types.sorted()
    }
    ops(3) shouldBe ops(3000)
  }

  test("its gradient for the anchor matches finite differences") {
    val r = SplittableRandom(8)
    val n = 6
    val b = Array(n) { FloatArray(3) { r.nextDouble(-1.0, 1.0).toFloat() } }
    val y = FloatArray(n) { (it % 2).toFloat() }
    Graph().use { g ->
      val tf = Ops.create(g)
      val anchor = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(3)))
      val value = loss.callAnchor(tf, anchor, tf.constant(b), tf.constant(y))
      val grad = tf.gradients(value, listOf(anchor)).dy<TFloat32>(0)
      Session(g).use { s ->
        fun run(a: FloatArray): Pair<Double, FloatArray> =
          TFloat32.vectorOf(*a).use { t ->
            s.runner().feed(anchor, t).fetch(value).fetch(grad).run().use { res ->
              val v = (res.get(0) as TFloat32).getFloat().toDouble()
              val gr = res.get(1) as TFloat32
              v to FloatArray(3) { gr.getFloat(it.toLong()) }
            }
          }
        val a = floatArrayOf(0.2f, -0.3f, 0.5f)
        val analytic = run(a).second
        for (k in 0 until 3) {
          val h = 1e-3f
          val numeric = (run(a.copyOf().also { it[k] += h }).first - run(a.copyOf().also { it[k] -= h }).first) / (2 * h)
          analytic[k].toDouble() shouldBe (numeric plusOrMinus 1e-3)
        }
      }
    }
  }

  test("bad shapes are refused, naming them") {
    EagerSession.create().use { s ->
      val tf = Ops.create(s)
      val batch = tf.constant(Array(3) { FloatArray(2) })
      val labels = tf.constant(FloatArray(3))
      shouldThrow<IllegalArgumentException> { loss.callAnchor(tf, tf.constant(Array(2) { FloatArray(2) }), batch, labels) }.message shouldBe
        "anchor must be [D] or [1, D], got shape [2, 2]"
      shouldThrow<IllegalArgumentException> { loss.callAnchor(tf, tf.constant(FloatArray(3)), batch, labels) }.message shouldBe
        "anchor and candidates must have the same embedding size D, got anchor [3] and candidates [3, 2]"
      shouldThrow<IllegalArgumentException> { loss.callAnchor(tf, tf.constant(FloatArray(2)), tf.constant(FloatArray(2)), labels) }.message shouldBe
        "candidates must be [N, D], got shape [2]"
      // the labels are checked by the loss itself
      shouldThrow<IllegalArgumentException> { loss.callAnchor(tf, tf.constant(FloatArray(2)), batch, tf.constant(FloatArray(4))) }.message shouldContain "labels"
    }
  }
})
