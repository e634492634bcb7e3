package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Initializer
import io.github.kontrast.dsl.layers.Initializers
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.op.core.ReduceSum
import org.tensorflow.types.TFloat32
import kotlin.math.sqrt

/**
 * Vectors of unit length along [axis] of a matrix: x / sqrt(max(sum x^2, 1e-12)), as
 * tf.math.l2_normalize, so a zero vector stays finite. MoCo's queued keys are rows (axis 1),
 * SwAV's prototypes columns (axis 0).
 */
internal fun unitVectors(tf: Ops, x: Operand<TFloat32>, axis: Int): Operand<TFloat32> {
  val squares = tf.reduceSum(tf.math.square(x), tf.constant(axis), ReduceSum.keepDims(true))
  return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squares, tf.constant(1e-12f))))
}

/**
 * Starting values for a `rows` x `columns` matrix of standard-normal numbers scaled to unit
 * vectors along [axis] (0: every column, 1: every row), drawn from the variable's seeded stream.
 */
internal fun unitVectorInitializer(axis: Int): Initializer = Initializer { shape, random ->
  require(shape.size == 2) { "unit vectors need a matrix, got shape ${shape.contentToString()}" }
  val (rows, columns) = shape[0] to shape[1]
  val v = Initializers.normal(0f, 1f).values(shape, random)
  val count = if (axis == 0) columns else rows
  val length = if (axis == 0) rows else columns
  fun at(vector: Int, i: Int) = if (axis == 0) i * columns + vector else vector * columns + i
  for (vector in 0 until count) {
    var sum = 0.0
    for (i in 0 until length) sum += v[at(vector, i)].toDouble() * v[at(vector, i)]
    val scale = 1.0 / sqrt(maxOf(sum, 1e-12))
    for (i in 0 until length) v[at(vector, i)] = (v[at(vector, i)] * scale).toFloat()
  }
  v
}
