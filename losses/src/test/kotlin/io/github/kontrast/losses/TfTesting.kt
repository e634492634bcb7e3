package io.github.kontrast.losses

import io.kotest.assertions.fail
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.max
import org.tensorflow.EagerSession
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Output
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32

/** A host array with its shape, read as doubles: test inputs (float) and reference inputs (double). */
interface Host {
  val shape: LongArray
  fun at(k: Int): Double

  /** Row i of a rank-2 (or higher, flattened) array. */
  fun row(i: Int): DoubleArray {
    val d = (size / rows)
    return DoubleArray(d) { at(i * d + it) }
  }

  val rows: Int get() = shape[0].toInt()
  val size: Int get() = shape.fold(1L) { a, b -> a * b }.toInt()
}

/** A float host array: the input of a test graph. */
class Arr(override val shape: LongArray, val data: FloatArray) : Host {
  init {
    require(shape.fold(1L) { a, b -> a * b } == data.size.toLong()) { "shape ${shape.toList()} vs ${data.size}" }
  }

  override fun at(k: Int): Double = data[k].toDouble()

  fun copy(data: FloatArray = this.data.copyOf()) = Arr(shape, data)

  fun toDouble() = DArr(shape, DoubleArray(data.size) { data[it].toDouble() })
}

/** A double host array: what the plain-double references read. */
class DArr(override val shape: LongArray, val data: DoubleArray) : Host {
  override fun at(k: Int): Double = data[k]
}

fun mat(vararg rows: FloatArray): Arr =
  Arr(longArrayOf(rows.size.toLong(), if (rows.isEmpty()) 0L else rows[0].size.toLong()),
    rows.flatMap { it.toList() }.toFloatArray())

fun vec(vararg xs: Float): Arr = Arr(longArrayOf(xs.size.toLong()), xs)

fun scalar(x: Float): Arr = Arr(longArrayOf(), floatArrayOf(x))

fun f(vararg xs: Number): FloatArray = FloatArray(xs.size) { xs[it].toFloat() }

/** A random [rows, cols] array with entries in [-1, 1). */
fun randomMat(rnd: kotlin.random.Random, rows: Int, cols: Int, scale: Float = 1f): Arr =
  Arr(longArrayOf(rows.toLong(), cols.toLong()), FloatArray(rows * cols) { (rnd.nextFloat() * 2f - 1f) * scale })

fun tensorOf(a: Arr): TFloat32 = TFloat32.tensorOf(Shape.of(*a.shape), DataBuffers.of(a.data, true, false))

fun TFloat32.values(): FloatArray {
  val out = FloatArray(size().toInt())
  val buf = DataBuffers.of(out, false, false)
  copyTo(buf)
  return out
}

/**
 * Value tolerance of the specs: relative, as float32 carries about 7 digits. A few ulps of the
 * operations in a loss stay far below 1e-5; the absolute floor only lets an exact 0 match values
 * like 3e-12. Pass a larger [atol] where a result is a small difference of large terms, and say why.
 */
const val REL_TOL = 1e-5
const val ABS_TOL = 1e-7

fun Float.isNear(expected: Double, rtol: Double = REL_TOL, atol: Double = ABS_TOL): Boolean =
  abs(this - expected) <= rtol * abs(expected) + atol

infix fun Float.near(expected: Double): Boolean = isNear(expected)

/** Asserts the same number of values as [expected] first, then each within the relative tolerance. */
fun FloatArray.shouldMatch(expected: List<Double>, what: String = "value", rtol: Double = REL_TOL, atol: Double = ABS_TOL) {
  withClue("$what: ${size} values, expected ${expected.size}") { size shouldBe expected.size }
  forEachIndexed { i, v ->
    withClue("$what[$i] = $v, expected ${expected[i]}") { v.isNear(expected[i], rtol, atol) shouldBe true }
  }
}

fun FloatArray.shouldMatch(expected: DoubleArray, what: String = "value", rtol: Double = REL_TOL, atol: Double = ABS_TOL) =
  shouldMatch(expected.toList(), what, rtol, atol)

/** Eager evaluation and graph gradients for the specs. */
object Tf {
  fun constant(tf: Ops, a: Arr): Operand<TFloat32> = tf.constant(Shape.of(*a.shape), DataBuffers.of(a.data, true, false))

  /** Runs [block] eagerly and returns the values of its result. */
  fun eager(block: (Ops) -> Operand<TFloat32>): FloatArray =
    EagerSession.create().use { s -> block(Ops.create(s)).asTensor().values() }

  fun eagerScalar(block: (Ops) -> Operand<TFloat32>): Float {
    val v = eager(block)
    withClue("expected a scalar, got ${v.size} values") { v.size shouldBe 1 }
    return v[0]
  }

  /** Builds [block] eagerly on constants made from [inputs]. */
  fun eagerOn(inputs: List<Arr>, block: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>): FloatArray =
    eager { tf -> block(tf, inputs.map { constant(tf, it) }) }

  /** Builds [block] in a fresh graph (nothing runs): for errors that must come at graph-build time. */
  fun <T> graph(block: (Ops) -> T): T = Graph().use { g -> block(Ops.create(g)) }

  /** A float placeholder of a static shape (-1 = unknown). */
  fun placeholder(tf: Ops, vararg shape: Long): Operand<TFloat32> =
    tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(*shape)))

  /**
   * Whether a gradient output is real. For an x that the loss does not reach, TF Java's
   * `Gradients.dy(i)` is not null but an output without an operation: any use of it throws.
   */
  fun isConnected(dy: Output<*>): Boolean =
    try {
      dy.dataType()
      true
    } catch (e: IllegalStateException) {
      false
    }

  /** A graph with placeholders for [inputs], the loss summed to a scalar, and its gradients. */
  class GraphCheck(
    private val inputs: List<Arr>,
    /** The inputs to differentiate (labels and other constants have no gradient path). */
    private val wrt: List<Int>,
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ) : AutoCloseable {
    private val graph = Graph()
    private val session: Session
    private val placeholders: List<Operand<TFloat32>>
    private val loss: Operand<TFloat32>
    private val grads: List<Output<TFloat32>>

    /** Per entry of wrt: does the loss reach that input? */
    val connected: List<Boolean>

    init {
      val tf = Ops.create(graph)
      placeholders = inputs.map { tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(*it.shape))) }
      val raw = build(tf, placeholders)
      loss = tf.reduceSum(raw, tf.range(tf.constant(0), tf.rank(raw), tf.constant(1)))
      grads = if (wrt.isEmpty()) emptyList() else {
        val g = tf.gradients(loss, wrt.map { placeholders[it] })
        wrt.indices.map { g.dy<TFloat32>(it) }
      }
      connected = grads.map { isConnected(it) }
      session = Session(graph)
    }

    private fun run(values: List<Arr>, fetches: List<Operand<TFloat32>>): List<FloatArray> {
      val tensors = values.map { tensorOf(it) }
      try {
        val runner = session.runner()
        placeholders.zip(tensors).forEach { (p, t) -> runner.feed(p, t) }
        fetches.forEach { runner.fetch(it) }
        runner.run().use { r -> return fetches.indices.map { (r.get(it) as TFloat32).values() } }
      } finally {
        tensors.forEach { it.close() }
      }
    }

    fun loss(values: List<Arr> = inputs): Float = run(values, listOf(loss))[0][0]

    /** The gradients of the summed loss; fails when the loss does not reach one of the inputs. */
    fun gradients(values: List<Arr> = inputs): List<FloatArray> {
      connected.forEachIndexed { i, ok ->
        if (!ok) fail("input ${wrt[i]} (shape ${inputs[wrt[i]].shape.toList()}): the loss does not reach it, its gradient is disconnected")
      }
      return run(values, grads)
    }

    override fun close() {
      session.close()
      graph.close()
    }
  }

  /**
   * Central differences of a plain-double [reference] (the summed loss) with respect to every
   * element of the inputs [wrt]. In double, step 1e-5 leaves a truncation error of about
   * 1e-11 |f'''| and a rounding error of about 1e-16 |f| / 1e-5: both far under the tolerances.
   */
  fun referenceGradients(inputs: List<Arr>, wrt: List<Int>, h: Double, reference: (List<DArr>) -> Double): List<DoubleArray> {
    val base = inputs.map { it.toDouble() }
    return wrt.map { which ->
      DoubleArray(base[which].data.size) { k ->
        fun at(delta: Double): Double {
          val moved = base.mapIndexed { i, a ->
            if (i != which) a else DArr(a.shape, a.data.copyOf().also { it[k] += delta })
          }
          return reference(moved)
        }
        (at(h) - at(-h)) / (2 * h)
      }
    }
  }

  /**
   * Asserts that the graph's value equals [reference] and that every element of the graph
   * gradients (float32) matches central differences of [reference] evaluated in double. The
   * reference is written independently, from the formula, and returns what the graph returns
   * summed over all its elements.
   */
  fun checkGradients(
    inputs: List<Arr>,
    wrt: List<Int> = inputs.indices.toList(),
    reference: (List<DArr>) -> Double,
    h: Double = 1e-5,
    atol: Double = 5e-4,
    rtol: Double = 5e-3,
    valueAtol: Double = 1e-5,
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ) {
    GraphCheck(inputs, wrt, build).use { g ->
      val value = g.loss()
      val expected = reference(inputs.map { it.toDouble() })
      withClue("graph value $value, reference $expected") { value.isNear(expected, REL_TOL, valueAtol) shouldBe true }
      val analytic = g.gradients()
      val numeric = referenceGradients(inputs, wrt, h, reference)
      analytic.indices.forEach { i ->
        withClue("input ${wrt[i]}: ${analytic[i].size} gradient values, ${numeric[i].size} inputs") {
          analytic[i].size shouldBe numeric[i].size
        }
        analytic[i].indices.forEach { k ->
          val a = analytic[i][k].toDouble()
          val n = numeric[i][k]
          withClue("input ${wrt[i]} element $k: graph gradient $a, reference finite difference $n") {
            (abs(a - n) <= atol + rtol * abs(n)) shouldBe true
          }
        }
      }
    }
  }

  /** The graph gradients of the summed loss at [inputs]; fails on a disconnected gradient. */
  fun gradients(
    inputs: List<Arr>,
    wrt: List<Int> = inputs.indices.toList(),
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ): List<FloatArray> = GraphCheck(inputs, wrt, build).use { it.gradients() }

  /** For each of [wrt]: does the summed loss reach that input at all? */
  fun connected(
    inputs: List<Arr>,
    wrt: List<Int> = inputs.indices.toList(),
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ): List<Boolean> = GraphCheck(inputs, wrt, build).use { it.connected }

  /** The summed loss evaluated in a graph (to compare graph and eager results). */
  fun graphLoss(inputs: List<Arr>, build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>): Float =
    GraphCheck(inputs, emptyList(), build).use { it.loss() }
}

/** Asserts every value is finite. */
fun FloatArray.shouldBeFinite(what: String) {
  forEachIndexed { i, v -> withClue("$what[$i] = $v") { v.isFinite() shouldBe true } }
}

/** Plain-double helpers for hand-derived expectations. */
object Ref {
  fun dot(a: DoubleArray, b: DoubleArray) = a.indices.sumOf { a[it] * b[it] }
  fun norm(a: DoubleArray) = kotlin.math.sqrt(dot(a, a))
  fun normalize(a: DoubleArray): DoubleArray { val n = max(norm(a), 1e-6); return DoubleArray(a.size) { a[it] / n } }
  fun cos(a: DoubleArray, b: DoubleArray) = dot(normalize(a), normalize(b))
  fun sqDist(a: DoubleArray, b: DoubleArray) = a.indices.sumOf { (a[it] - b[it]) * (a[it] - b[it]) }
  /** PyTorch's pairwise_distance: |a - b + 1e-6|. */
  fun torchDist(a: DoubleArray, b: DoubleArray) = kotlin.math.sqrt(a.indices.sumOf { val t = a[it] - b[it] + 1e-6; t * t })
  /** -log softmax(logits)[target] */
  fun crossEntropy(logits: DoubleArray, target: Int): Double {
    val m = logits.max()
    val lse = m + kotlin.math.ln(logits.sumOf { kotlin.math.exp(it - m) })
    return lse - logits[target]
  }
  fun softmax(x: DoubleArray): DoubleArray { val m = x.max(); val e = x.map { kotlin.math.exp(it - m) }; val s = e.sum(); return DoubleArray(x.size) { e[it] / s } }
  fun relu(x: Double) = max(0.0, x)
  fun softplus(x: Double) = if (x > 0) x + kotlin.math.ln1p(kotlin.math.exp(-x)) else kotlin.math.ln1p(kotlin.math.exp(x))
}
