package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.sequential
import io.github.kontrast.dsl.engine.Verbosity
import org.tensorflow.EagerSession
import org.tensorflow.Operand
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import java.util.SplittableRandom

/**
 * A tiny two-view task for the self-supervised specs: 8x8x1 images of four classes (one bright
 * quadrant, plus noise), and a seeded transform of the specs' own that makes each view: a shift
 * by up to one pixel in each direction, a random brightness and fresh noise.
 */
object TwoViewData {
  const val SIDE = 8
  val SHAPE = intArrayOf(SIDE, SIDE, 1)

  /** [n] labelled images as arrays "image" and "class". */
  fun images(n: Int, seed: Long): ArrayDataset {
    val r = SplittableRandom(seed)
    val px = SIDE * SIDE
    val x = FloatArray(n * px)
    val y = IntArray(n)
    for (i in 0 until n) {
      val c = i % 4
      y[i] = c
      for (row in 0 until SIDE) for (col in 0 until SIDE) {
        val bright = (row < SIDE / 2) == (c < 2) && (col < SIDE / 2) == (c % 2 == 0)
        x[i * px + row * SIDE + col] = (if (bright) 0.8f else 0.1f) + (r.nextDouble() * 0.2).toFloat()
      }
    }
    return ArrayDataset(mapOf(Batch.IMAGE to FloatHostArray(x, intArrayOf(n) + SHAPE), Batch.CLASS to IntHostArray(y, intArrayOf(n))))
  }

  /** One random view of every image of [images]. */
  fun view(images: FloatHostArray, r: SplittableRandom): FloatHostArray {
    val n = images.rows
    val px = SIDE * SIDE
    val out = FloatArray(images.data.size)
    for (i in 0 until n) {
      val dy = r.nextInt(3) - 1
      val dx = r.nextInt(3) - 1
      val gain = 0.8f + 0.4f * r.nextFloat()
      for (row in 0 until SIDE) for (col in 0 until SIDE) {
        val sr = (row + dy).coerceIn(0, SIDE - 1)
        val sc = (col + dx).coerceIn(0, SIDE - 1)
        out[i * px + row * SIDE + col] = images.data[i * px + sr * SIDE + sc] * gain + 0.05f * r.nextFloat()
      }
    }
    return FloatHostArray(out, images.shape.copyOf())
  }

  /** [n] images with fresh views every epoch (drawn on the prefetch thread from the batch's seed), "image" and "class" kept. */
  fun views(n: Int, seed: Long): Dataset = images(n, seed).map(seed) { b, r ->
    val x = b.floats(Batch.IMAGE)
    b.with(Batch.VIEW1, view(x, r)).with(Batch.VIEW2, view(x, r))
  }

  /** [n] images with one fixed pair of views each, in memory. */
  fun fixedViews(n: Int, seed: Long): ArrayDataset {
    val all = views(n, seed).batch(IntArray(n) { it })
    return ArrayDataset(all.arrays)
  }

  /** A small encoder for 8x8x1: conv 4 filters, pooling, dense 16 with ReLU. */
  fun encoder(): Sequential = sequential { name = "encoder"; conv2d(4, 3, activation = relu); maxPool(2); flatten(); dense(16, activation = relu) }

  val SILENT = Verbosity.SILENT
}

/** Runs [block] eagerly and returns the scalar it computes. */
fun eagerScalar(block: (Ops) -> Operand<TFloat32>): Double =
  EagerSession.create().use { s -> block(Ops.create(s)).asTensor().getFloat().toDouble() }

/** A constant for an eager computation. */
fun Ops.of(a: FloatHostArray): Operand<TFloat32> =
  constant(Shape.of(*a.shape.map { it.toLong() }.toLongArray()), DataBuffers.of(a.data, true, false))

/** Row [i] of a [N, D] array. */
fun FloatHostArray.row(i: Int): DoubleArray = DoubleArray(shape[1]) { data[i * shape[1] + it].toDouble() }

/**
 * The pipeline's loss on [data] (one batch of all of it) against [expected] computed eagerly, from
 * the losses module, on the [outputs] fetched from the same graph: in inference mode through
 * `evaluate`, and in a training step (batch statistics, dropout seed of the step) through `fit`,
 * whose one-step epoch loss is that step's. Returns the training loss.
 */
fun lossMatches(m: Pipeline, data: ArrayDataset, outputs: List<String>, expected: (Ops, Map<String, Operand<TFloat32>>) -> Operand<TFloat32>): Double {
  val n = data.size
  val batch = data.batch(IntArray(n) { it })
  fun eager(values: Map<String, io.github.kontrast.dsl.data.HostArray>) = eagerScalar { tf -> expected(tf, values.mapValues { tf.of(it.value as FloatHostArray) }) }
  val inference = eager(m.engine.fetch(batch, outputs))
  val evaluated = m.evaluate(data, n).getValue("loss")
  check(kotlin.math.abs(evaluated - inference) <= 1e-5 * maxOf(1.0, kotlin.math.abs(inference))) { "evaluate's loss $evaluated, the losses module's on the fetched outputs $inference" }
  val training = eager(m.engine.fetch(batch, outputs, training = true))
  // fit shuffles the batch; every loss here is the same for any order of the examples
  val trained = m.fit(data, epochs = 1, batchSize = n)["loss"].single()
  check(kotlin.math.abs(trained - training) <= 1e-5 * maxOf(1.0, kotlin.math.abs(training))) { "the training step's loss $trained, the losses module's on the fetched outputs $training" }
  return trained
}
