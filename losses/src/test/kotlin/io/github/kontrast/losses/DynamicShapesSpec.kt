package io.github.kontrast.losses

import io.github.kontrast.losses.miners.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32

/**
 * The engine feeds batches whose size is unknown when the graph is built: every loss must build on
 * placeholders of shape [-1, D] (labels [-1]) and give the eager values when run.
 */
class DynamicShapesSpec : FunSpec({
  val rnd = kotlin.random.Random(21)
  val b = 4
  val d = 3
  val x1 = randomMat(rnd, b, d)
  val x2 = randomMat(rnd, b, d)
  val pairLabels = vec(1f, 0f, 0f, 1f)
  val classes = intArrayOf(0, 1, 0, 1)

  /** Runs [build] in a graph on placeholders with an unknown batch dimension. */
  fun dynamic(build: (Ops, Operand<TFloat32>, Operand<TFloat32>, Operand<TFloat32>, Operand<TInt32>) -> Operand<TFloat32>): Float =
    Graph().use { g ->
      val tf = Ops.create(g)
      val p1 = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, d.toLong())))
      val p2 = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, d.toLong())))
      val py = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1)))
      val pc = tf.placeholder(TInt32::class.java, Placeholder.shape(Shape.of(-1)))
      val loss = build(tf, p1, p2, py, pc)
      Session(g).use { s ->
        val t1 = tensorOf(x1); val t2 = tensorOf(x2); val ty = tensorOf(pairLabels)
        val tc = TInt32.vectorOf(*classes)
        try {
          s.runner().feed(p1, t1).feed(p2, t2).feed(py, ty).feed(pc, tc).fetch(loss).run().use { r -> (r.get(0) as TFloat32).getFloat() }
        } finally {
          listOf(t1, t2, ty, tc).forEach { it.close() }
        }
      }
    }

  fun eager(build: (Ops, Operand<TFloat32>, Operand<TFloat32>, Operand<TFloat32>, Operand<TInt32>) -> Operand<TFloat32>): Float =
    Tf.eager { tf -> build(tf, Tf.constant(tf, x1), Tf.constant(tf, x2), Tf.constant(tf, pairLabels), tf.constant(classes)) }[0]

  val cases: List<Pair<String, (Ops, Operand<TFloat32>, Operand<TFloat32>, Operand<TFloat32>, Operand<TInt32>) -> Operand<TFloat32>>> = listOf(
    "contrastive" to { tf, a, c, y, _ -> ContrastiveLoss.create().call(tf, a, c, y) },
    "triplet" to { tf, a, c, _, _ -> TripletLoss.create().call(tf, a, c, tf.math.neg(c)) },
    "triplet batch-hard" to { tf, a, _, _, k -> TripletLoss.create().withMiner(BatchHardMiner.create()).call(tf, a, k) },
    "triplet batch-all" to { tf, a, _, _, k -> TripletLoss.create().call(tf, a, k) },
    "triplet semi-hard mined" to { tf, a, _, _, k -> TripletLoss.create().withMiner(SemiHardNegativeMiner.create()).call(tf, a, k) },
    "contrastive all pairs" to { tf, a, _, _, k -> ContrastiveLoss.create().call(tf, a, k) },
    "contrastive hard negatives mined" to { tf, a, _, _, k -> ContrastiveLoss.create().withMiner(HardNegativeMiner.create().withK(1)).call(tf, a, k) },
    "infonce in-batch" to { tf, a, c, _, _ -> InfoNceLoss.create().call(tf, a, c) },
    "infonce hard negatives" to { tf, a, c, _, _ -> InfoNceLoss.create().call(tf, a, c, HardNegativeMiner.create().withK(2).negatives(tf, a, c)) },
    "triplet semi-hard" to { tf, a, c, _, _ -> TripletLoss.create().call(tf, a, c, SemiHardNegativeMiner.create().negatives(tf, a, c, tf.math.neg(c))) },
    "nt-xent" to { tf, a, c, _, _ -> NtXentLoss.create().call(tf, a, c) },
    "supcon" to { tf, a, _, _, k -> SupConLoss.create().call(tf, a, k) },
    "clip" to { tf, a, c, _, _ -> ClipLoss.create().call(tf, a, c, tf.constant(ClipLoss.INITIAL_LOG_LOGIT_SCALE)) },
    "simsiam" to { tf, a, c, _, _ -> NegativeCosineLoss.create().call(tf, a, c, c, a) },
    "swav" to { tf, a, c, _, _ -> SwavLoss.create().call(tf, a, c) },
    "moco" to { tf, a, c, _, _ -> MocoLoss.create().callSymmetric(tf, a, c, c, a) },
  )

  cases.forEach { (name, build) ->
    test("$name builds with an unknown batch size and matches eager") {
      val g = dynamic(build)
      val e = eager(build)
      (abs(g - e) <= 1e-5f * maxOf(1f, abs(e))) shouldBe true
      g.isFinite() shouldBe true
    }
  }
})
