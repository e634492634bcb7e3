package io.github.kontrast.losses.distributed

import io.github.kontrast.losses.Arr
import io.github.kontrast.losses.SoftmaxRefs
import io.github.kontrast.losses.SupConLoss
import io.github.kontrast.losses.Tf
import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.near
import io.github.kontrast.losses.randomMat
import io.github.kontrast.losses.reducers.Reduction
import io.github.kontrast.losses.shouldMatch
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs
import org.tensorflow.Operand
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/**
 * SupCon gathered over simulated workers ([SimulatedGroup]): every worker's anchors are both
 * views of its examples; the mean of the workers' values and its gradient are the one-worker loss
 * of the global batch [Z1; Z2] with labels [C; C] and its gradient, computed by [SupConLoss] and by
 * the plain-double reference. A gather without gradient to the other workers' rows gives a
 * different gradient, and the spec sees it.
 */
class GatheredSupConSpec : FunSpec({
  val rnd = kotlin.random.Random(31)
  val d = 3

  /** Worker r's anchors [z1_r; z2_r] and labels [c_r; c_r] from the global z1, z2 and classes. */
  fun worker(tf: Ops, z1: Operand<TFloat32>, z2: Operand<TFloat32>, classes: IntArray, g: AllGather, b: Int, loss: SupConLoss): Operand<TFloat32> {
    val r = g.rank()
    val features = tf.concat(listOf(SimulatedGather.slice(tf, z1, g.size(), r), SimulatedGather.slice(tf, z2, g.size(), r)), tf.constant(0))
    val mine = classes.copyOfRange(r * b, (r + 1) * b)
    return GatheredSupCon(loss).call(tf, features, tf.constant(mine + mine), g)
  }

  fun gathered(tf: Ops, z: List<Operand<TFloat32>>, classes: IntArray, group: SimulatedGroup, b: Int, loss: SupConLoss = SupConLoss.create()) =
    group.mean(tf) { g -> worker(tf, z[0], z[1], classes, g, b, loss) }

  fun oneWorker(tf: Ops, z: List<Operand<TFloat32>>, classes: IntArray, loss: SupConLoss = SupConLoss.create()) =
    loss.call(tf, tf.concat(z, tf.constant(0)), tf.constant(classes + classes))

  fun reference(z1: Arr, z2: Arr, classes: IntArray, t: Double = 0.07): Double =
    SoftmaxRefs.supCon(stackRows(z1, z2), classes + classes, t).average()

  // class 1 spans both workers, class 7 has one example (its only positive is its other view)
  val cases = listOf(
    Triple(2, 3, intArrayOf(0, 1, 0, 1, 2, 7)),
    Triple(3, 2, intArrayOf(4, 4, 1, 0, 1, 4)),
  )

  test("S workers' mean equals SupConLoss and the double reference on the global batch; so do the gradients") {
    for ((s, b, classes) in cases) {
      val inputs = List(2) { randomMat(rnd, s * b, d) }
      val value = Tf.graphLoss(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b) }
      val one = Tf.graphLoss(inputs) { tf, z -> oneWorker(tf, z, classes) }
      val ref = reference(inputs[0], inputs[1], classes)
      withClue("S=$s: gathered $value, SupConLoss $one, reference $ref") {
        (value near one.toDouble()) shouldBe true
        (value near ref) shouldBe true
      }
      val want = Tf.gradients(inputs) { tf, z -> oneWorker(tf, z, classes) }
      val got = Tf.gradients(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b) }
      got.indices.forEach { i -> got[i].shouldMatch(want[i].map { it.toDouble() }, "S=$s d/dz${i + 1}", atol = 1e-6) }
      Tf.checkGradients(inputs, reference = { (a, c) -> SoftmaxRefs.supCon(stackRows(a, c), classes + classes, 0.07).average() }) { tf, z ->
        gathered(tf, z, classes, SimulatedGroup(s), b)
      }
    }
  }

  test("in row blocks (1, 4 and 100 anchors), the same value and gradients as one worker's full matrix and the reference's finite differences") {
    for ((s, b, classes) in cases) {
      val inputs = List(2) { randomMat(rnd, s * b, d) }
      val want = Tf.gradients(inputs) { tf, z -> oneWorker(tf, z, classes) }
      for (rows in listOf(1, 4, 100)) {
        val loss = SupConLoss.create().withChunkRows(rows)
        val got = Tf.gradients(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b, loss) }
        got.indices.forEach { i -> got[i].shouldMatch(want[i].map { it.toDouble() }, "S=$s chunkRows $rows d/dz${i + 1}", atol = 1e-6) }
        Tf.checkGradients(inputs, reference = { (a, c) -> SoftmaxRefs.supCon(stackRows(a, c), classes + classes, 0.07).average() }) { tf, z ->
          gathered(tf, z, classes, SimulatedGroup(s), b, loss)
        }
      }
      val cut = Tf.gradients(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s, othersWithoutGradient = true), b, SupConLoss.create().withChunkRows(4)) }
      val worst = want.indices.maxOf { i -> want[i].indices.maxOf { k -> abs(want[i][k] - cut[i][k]) } }
      withClue("S=$s, blocks of 4, other workers' rows cut from the gradient: largest difference $worst") { (worst > 1e-3f) shouldBe true }
    }
  }

  test("a gather whose other workers' rows carry no gradient (lightly's old bug) gives another gradient") {
    for ((s, b, classes) in cases) {
      val inputs = List(2) { randomMat(rnd, s * b, d) }
      val want = Tf.gradients(inputs) { tf, z -> oneWorker(tf, z, classes) }
      val cut = Tf.gradients(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s, othersWithoutGradient = true), b) }
      // the loss value is the same (the forward pass does not see the cut)...
      val value = Tf.graphLoss(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s, othersWithoutGradient = true), b) }
      (value near Tf.graphLoss(inputs) { tf, z -> oneWorker(tf, z, classes) }.toDouble()) shouldBe true
      // ...but each row misses the pull of the other workers' anchors: far beyond the tolerance above
      val worst = want.indices.maxOf { i -> want[i].indices.maxOf { k -> abs(want[i][k] - cut[i][k]) } }
      val scale = want.maxOf { g -> g.maxOf { abs(it) } }
      withClue("S=$s: largest gradient difference $worst, largest gradient $scale") { (worst > 0.1f * scale) shouldBe true }
    }
  }

  test("SUM, another temperature and similarity, TInt64 labels") {
    val (s, b, classes) = cases[0]
    val inputs = List(2) { randomMat(rnd, s * b, d) }
    for (loss in listOf(SupConLoss.create().withReduction(Reduction.SUM), SupConLoss.create().withTemperature(0.5f).withDistance(Distances.dot()))) {
      val value = Tf.graphLoss(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b, loss) }
      val one = Tf.graphLoss(inputs) { tf, z -> oneWorker(tf, z, classes, loss) }
      withClue("$loss: gathered $value, SupConLoss $one") { (value near one.toDouble()) shouldBe true }
    }
    val sum = Tf.graphLoss(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b, SupConLoss.create().withReduction(Reduction.SUM)) }
    (sum near reference(inputs[0], inputs[1], classes) * 2 * s * b) shouldBe true
    val long = Tf.graphLoss(inputs) { tf, (z1, z2) ->
      SimulatedGroup(s).mean(tf) { g ->
        val r = g.rank()
        val mine = classes.copyOfRange(r * b, (r + 1) * b).map { it.toLong() }.toLongArray()
        GatheredSupCon(SupConLoss.create()).call(tf, tf.concat(listOf(SimulatedGather.slice(tf, z1, g.size(), r), SimulatedGather.slice(tf, z2, g.size(), r)), tf.constant(0)), tf.constant(mine + mine), g)
      }
    }
    (long near reference(inputs[0], inputs[1], classes)) shouldBe true
  }

  test("labels travel as floats: class ids up to 2^24 stay distinct") {
    val (s, b) = 2 to 3
    // 2^24 - 1 and 2^24 - 2 differ in the last bit a float holds; -2^24 + 1 is the negative end
    val classes = intArrayOf(16_777_215, 16_777_214, -16_777_215, 16_777_214, 16_777_215, 3)
    val inputs = List(2) { randomMat(rnd, s * b, d) }
    val value = Tf.graphLoss(inputs) { tf, z -> gathered(tf, z, classes, SimulatedGroup(s), b) }
    (value near reference(inputs[0], inputs[1], classes)) shouldBe true
  }

  test("bad input is named") {
    shouldThrow<IllegalArgumentException> { GatheredSupCon(SupConLoss.create().withReduction(Reduction.NONE)) }
      .message.let { it shouldContain "loss"; it shouldContain "NONE"; it shouldContain "MEAN or SUM" }
    Tf.graph { tf ->
      val g = SimulatedGroup.repeating(2, 0)
      val loss = GatheredSupCon(SupConLoss.create())
      fun ints(vararg shape: Long) = tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(*shape)))
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 6, 3), ints(5), g) }
        .message.let { it shouldContain "'labels'"; it shouldContain "'features'"; it shouldContain "[5]"; it shouldContain "[6, 3]" }
      shouldThrow<IllegalArgumentException> {
        GatheredSupCon(SupConLoss.create().withChunkRows(4)).call(tf, Tf.placeholder(tf, -1, 3), ints(-1), g)
      }.message.let { it shouldContain "chunkRows = 4"; it shouldContain "'features' has shape [-1, 3]" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 6, 3), ints(6, 1), g) }
        .message.let { it shouldContain "'labels'"; it shouldContain "rank 1" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 6), ints(6), g) }
        .message.let { it shouldContain "'features'"; it shouldContain "rank 2" }
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 6, 3), null, g) }.message shouldContain "labels"
      shouldThrow<IllegalArgumentException> { loss.call(tf, Tf.placeholder(tf, 6, 3), ints(6), null) }.message shouldContain "gather"
      // an unknown batch size builds
      loss.call(tf, Tf.placeholder(tf, -1, 3), ints(-1), g)
    }
  }
})
