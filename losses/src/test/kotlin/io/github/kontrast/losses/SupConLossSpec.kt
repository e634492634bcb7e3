package io.github.kontrast.losses

import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.reducers.Reduction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.math.abs
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TInt32

class SupConLossSpec : FunSpec({
  val rnd = kotlin.random.Random(4)
  val feats = randomMat(rnd, 6, 3)
  val labels = intArrayOf(0, 1, 0, 2, 1, 0)

  test("matches the reference per anchor; the lone class-2 anchor gives 0, not NaN") {
    val got = Tf.eager { tf -> SupConLoss.create().withReduction(Reduction.NONE).call(tf, Tf.constant(tf, feats), tf.constant(labels)) }
    val ref = SoftmaxRefs.supCon(feats, labels, 0.07)
    got.shouldMatch(ref, "per anchor")
    got[3] shouldBe 0f
    val mean = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(labels)) }[0]
    (mean near ref.average()) shouldBe true
    // TInt64 labels too
    val long = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(labels.map { it.toLong() }.toLongArray())) }[0]
    long shouldBe mean
  }

  test("takes a similarity: dot product and negative squared Euclidean, values and gradients") {
  val similarities = listOf(
    Distances.dot() to SoftmaxRefs.Sim.dot,
    Distances.squaredEuclidean() to SoftmaxRefs.Sim.negSquaredEuclidean,
  )
    for ((distance, sim) in similarities) {
      val got = Tf.eager { tf -> SupConLoss.create().withDistance(distance).withTemperature(0.5f).withReduction(Reduction.NONE).call(tf, Tf.constant(tf, feats), tf.constant(labels)) }
      got.shouldMatch(SoftmaxRefs.supCon(feats, labels, 0.5, sim), distance.name())
      Tf.checkGradients(listOf(feats), reference = { (x) -> SoftmaxRefs.supCon(x, labels, 0.5, sim).average() }) { tf, (x) ->
        SupConLoss.create().withDistance(distance).withTemperature(0.5f).call(tf, x, tf.constant(labels))
      }
    }
  }

  test("no positives at all: loss 0 and finite gradients") {
    val v = Tf.eager { tf -> SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(intArrayOf(0, 1, 2, 3, 4, 5))) }[0]
    v shouldBe 0f
    // every anchor's term is 0 times its log-probabilities: the gradient is exactly 0, and connected
    Tf.gradients(listOf(feats)) { tf, (x) -> SupConLoss.create().call(tf, x, tf.constant(intArrayOf(0, 1, 2, 3, 4, 5))) }[0]
      .shouldMatch(List(18) { 0.0 }, "gradient without positives")
  }

  test("property: equals NT-Xent when each class has exactly two members laid out as [z1; z2]") {
    checkAll(15, Arb.long(), Arb.int(1, 5)) { seed, b ->
      val r = kotlin.random.Random(seed)
      val z1 = randomMat(r, b, 3)
      val z2 = randomMat(r, b, 3)
      val t = 0.3f
      val nt = Tf.eagerOn(listOf(z1, z2)) { tf, (a, c) -> NtXentLoss.create().withTemperature(t).call(tf, a, c) }[0]
      val stacked = Arr(longArrayOf(2L * b, 3), z1.data + z2.data)
      val classes = IntArray(2 * b) { it % b }
      val sc = Tf.eager { tf -> SupConLoss.create().withTemperature(t).call(tf, Tf.constant(tf, stacked), tf.constant(classes)) }[0]
      (abs(nt - sc) <= 1e-4f * maxOf(1f, abs(nt))) shouldBe true
    }
  }

  test("gradients match finite differences of the plain-double reference at t = 0.5, 0.07 and 0.01") {
    for (t in listOf(0.5, 0.07, 0.01)) {
      Tf.checkGradients(listOf(feats), reference = { (x) -> SoftmaxRefs.supCon(x, labels, t).average() }) { tf, (x) ->
        SupConLoss.create().withTemperature(t.toFloat()).call(tf, x, tf.constant(labels))
      }
    }
  }

  test("gradients at t = 0.01 with duplicates and a zero row have their hand-derived values") {
    // z = [e1, e1, 0, -e1], labels (0, 0, 1, 1). Anchors 0 and 1 find their twin at logit 100
    // (loss about e^-100); anchor 3 (-e1) has logits -100, -100 and 0 for its positive, the zero
    // row (loss about 2e^-100); anchor 2 (the zero row) sees three zero logits: ln 3. Mean ln(3)/4.
    // Only anchor 2 has a live d/dlogits: (1/4)(1/3, 1/3, ., 1/3 - 1); dZ_2 = (1/12 e1 + 1/12 e1
    // + 1/6 e1) / t = (100/3) e1, which the zero row's guard multiplies by 1e6. The other rows
    // pair with Z_2 = 0 or are saturated: 0.
    val dup = mat(f(1, 0), f(1, 0), f(0, 0), f(-1, 0))
    val loss = SupConLoss.create().withTemperature(0.01f)
    Tf.eager { tf -> loss.call(tf, Tf.constant(tf, dup), tf.constant(intArrayOf(0, 0, 1, 1))) }
      .shouldMatch(listOf(kotlin.math.ln(3.0) / 4), "loss")
    Tf.gradients(listOf(dup)) { tf, (x) -> loss.call(tf, x, tf.constant(intArrayOf(0, 0, 1, 1))) }[0]
      .shouldMatch(listOf(0.0, 0.0, 0.0, 0.0, 100.0 / 3 * 1e6, 0.0, 0.0, 0.0), "SupCon gradient at t = 0.01", atol = 1e-3)
  }

  test("bad input") {
    shouldThrow<IllegalArgumentException> { SupConLoss.create().withTemperature(-0.07f) }.message.let { it shouldContain "temperature"; it shouldContain "-0.07" }
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.constant(tf, feats), tf.constant(intArrayOf(0, 1)))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[2]"; it shouldContain "[6, 3]" }
      tf.constant(0f)
    }
    Tf.graph { tf ->
      val intLabels = { n: Long -> tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(n))) }
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.placeholder(tf, 6, 3), intLabels(5))
      }.message.let { it shouldContain "'labels'"; it shouldContain "[5]"; it shouldContain "[6, 3]" }
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.placeholder(tf, 6, 3), tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(6, 1))))
      }.message.let { it shouldContain "'labels'"; it shouldContain "rank 1"; it shouldContain "[6, 1]" }
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.placeholder(tf, 6, 3, 1), intLabels(6))
      }.message.let { it shouldContain "'features'"; it shouldContain "rank 2"; it shouldContain "[6, 3, 1]" }
      shouldThrow<IllegalArgumentException> {
        SupConLoss.create().call(tf, Tf.placeholder(tf, 0, 3), intLabels(0))
      }.message.let { it shouldContain "empty"; it shouldContain "[0, 3]" }
      SupConLoss.create().call(tf, Tf.placeholder(tf, -1, 3), intLabels(-1))
    }
  }
})
