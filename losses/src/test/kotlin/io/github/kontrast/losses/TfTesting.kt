package io.github.kontrast.losses

import io.kotest.assertions.withClue
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import org.tensorflow.EagerSession
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import kotlin.math.abs
import kotlin.math.max

/** A host array with its shape: the input of a test graph. */
class Arr(val shape: LongArray, val data: FloatArray) {
  init {
    require(shape.fold(1L) { a, b -> a * b } == data.size.toLong()) { "shape ${shape.toList()} vs ${data.size}" }
  }

  fun copy(data: FloatArray = this.data.copyOf()) = Arr(shape, data)

  /** Row i of a rank-2 array as doubles. */
  fun row(i: Int): DoubleArray {
    val d = shape[1].toInt()
    return DoubleArray(d) { data[i * d + it].toDouble() }
  }

  val rows: Int get() = shape[0].toInt()
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
    private val grads: List<Operand<TFloat32>>
    private val hasPath: List<Boolean>

    init {
      val tf = Ops.create(graph)
      placeholders = inputs.map { tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(*it.shape))) }
      val raw = build(tf, placeholders)
      loss = tf.reduceSum(raw, tf.range(tf.constant(0), tf.rank(raw), tf.constant(1)))
      grads = if (wrt.isEmpty()) emptyList() else {
        val g = tf.gradients(loss, wrt.map { placeholders[it] })
        wrt.indices.map { g.dy<TFloat32>(it) }
      }
      // an input with no gradient path (behind a stop-gradient) gets a null output: its gradient is zero
      hasPath = grads.map { out -> runCatching { out.op().name() }.isSuccess }
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

    fun gradients(values: List<Arr> = inputs): List<FloatArray> {
      val fetched = run(values, grads.filterIndexed { i, _ -> hasPath[i] }).iterator()
      return wrt.mapIndexed { i, which -> if (hasPath[i]) fetched.next() else FloatArray(inputs[which].data.size) }
    }

    /** Central finite differences of the summed loss, in double from float evaluations. */
    fun finiteDifferences(h: Float): List<FloatArray> =
      wrt.map { which ->
        FloatArray(inputs[which].data.size) { k ->
          fun at(delta: Float): Double {
            val moved = inputs.mapIndexed { i, a ->
              if (i != which) a else a.copy().also { it.data[k] += delta }
            }
            return loss(moved).toDouble()
          }
          ((at(h) - at(-h)) / (2.0 * h)).toFloat()
        }
      }

    override fun close() {
      session.close()
      graph.close()
    }
  }

  /** Asserts that graph gradients match central finite differences. */
  fun checkGradients(
    inputs: List<Arr>,
    wrt: List<Int> = inputs.indices.toList(),
    h: Float = 1e-2f,
    atol: Double = 5e-3,
    rtol: Double = 2e-2,
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ) {
    GraphCheck(inputs, wrt, build).use { g ->
      val analytic = g.gradients()
      val numeric = g.finiteDifferences(h)
      analytic.indices.forEach { i ->
        analytic[i].indices.forEach { k ->
          val a = analytic[i][k].toDouble()
          val n = numeric[i][k].toDouble()
          withClue("input $i element $k: graph gradient $a, finite difference $n") {
            abs(a - n) shouldBeLessThan atol + rtol * max(abs(a), abs(n))
          }
        }
      }
    }
  }

  /** The graph gradients of the summed loss at [inputs]. */
  fun gradients(
    inputs: List<Arr>,
    wrt: List<Int> = inputs.indices.toList(),
    build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>,
  ): List<FloatArray> = GraphCheck(inputs, wrt, build).use { it.gradients() }

  /** The summed loss evaluated in a graph (to compare graph and eager results). */
  fun graphLoss(inputs: List<Arr>, build: (Ops, List<Operand<TFloat32>>) -> Operand<TFloat32>): Float =
    GraphCheck(inputs, emptyList(), build).use { it.loss() }
}

/** Asserts every value is finite. */
fun FloatArray.shouldBeFinite(what: String) {
  forEachIndexed { i, v -> withClue("$what[$i] = $v") { v.isFinite() shouldBe true } }
}

infix fun Float.near(expected: Double): Boolean = abs(this - expected) <= 1e-4 * max(1.0, abs(expected))

/** Plain-double helpers for hand-derived expectations. */
object Ref {
  fun dot(a: DoubleArray, b: DoubleArray) = a.indices.sumOf { a[it] * b[it] }
  fun norm(a: DoubleArray) = kotlin.math.sqrt(dot(a, a))
  fun normalize(a: DoubleArray): DoubleArray { val n = max(norm(a), 1e-6); return DoubleArray(a.size) { a[it] / n } }
  fun cos(a: DoubleArray, b: DoubleArray) = dot(normalize(a), normalize(b))
  fun sqDist(a: DoubleArray, b: DoubleArray) = a.indices.sumOf { (a[it] - b[it]) * (a[it] - b[it]) }
  /** -log softmax(logits)[target] */
  fun crossEntropy(logits: DoubleArray, target: Int): Double {
    val m = logits.max()
    val lse = m + kotlin.math.ln(logits.sumOf { kotlin.math.exp(it - m) })
    return lse - logits[target]
  }
  fun softmax(x: DoubleArray): DoubleArray { val m = x.max(); val e = x.map { kotlin.math.exp(it - m) }; val s = e.sum(); return DoubleArray(x.size) { e[it] / s } }
}
