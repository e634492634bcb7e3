package io.github.kontrast.samples.bench

import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Op
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32
import java.util.SplittableRandom
import kotlin.math.sqrt

/**
 * Document 001's training step written directly against TensorFlow Java, the baseline the engine
 * is measured against: the CNN twin (Conv2D 128 2x2 relu, MaxPool 2, Dropout 0.4, Conv2D 128,
 * MaxPool, Dropout, Conv2D 64, MaxPool, Dropout, global average pooling, Dense 128) applied to both
 * images with shared weights, the Euclidean distance, Keras' contrastive loss with the 1/2 factors
 * and margin 1 (label 1 = similar), and Adam 1e-3 through the fused `ApplyAdam`. Weights start
 * Glorot-uniform, biases zero, as in Keras.
 *
 * Like Kontrast's optimizers, the updates wait for all gradients (see the optimizer package), so
 * both sides do the same work and the difference is the engine's.
 */
internal class HandWrittenSiamese(seed: Long) : AutoCloseable {
  private val graph = Graph()
  private val tf: Ops = Ops.create(graph)
  private val imageShape = Shape.of(-1, 28, 28, 1)
  private val first: Placeholder<TFloat32> = tf.placeholder(TFloat32::class.java, Placeholder.shape(imageShape))
  private val second: Placeholder<TFloat32> = tf.placeholder(TFloat32::class.java, Placeholder.shape(imageShape))
  private val label: Placeholder<TFloat32> = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1)))
  private val stepNumber: Placeholder<TFloat32> = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.scalar()))

  private val random = SplittableRandom(seed)
  private val initializers = mutableListOf<Op>()
  private val weights = mutableListOf<Variable<TFloat32>>()

  private val conv1 = convolution(1, 128)
  private val conv2 = convolution(128, 128)
  private val conv3 = convolution(128, 64)
  private val denseKernel = variable(glorot(intArrayOf(64, 128), 64, 128), weights)
  private val denseBias = variable(FloatHostValues(FloatArray(128), intArrayOf(128)), weights)

  private val loss: Operand<TFloat32>
  private val train: Op
  private val session: Session

  init {
    val e1 = twin(first)
    val e2 = twin(second)
    val sumSquares = tf.sum(tf.math.square(tf.math.sub(e1, e2)), tf.constant(1))
    // Keras' guard: sqrt has an infinite derivative at 0
    val distance = tf.math.sqrt(tf.math.maximum(sumSquares, tf.constant(1e-7f)))
    val half = tf.constant(0.5f)
    val positive = tf.math.mul(tf.math.mul(half, label), tf.math.square(distance))
    val shortfall = tf.math.maximum(tf.math.sub(tf.constant(1f), distance), tf.constant(0f))
    val negative = tf.math.mul(tf.math.mul(half, tf.math.sub(tf.constant(1f), label)), tf.math.square(shortfall))
    loss = tf.math.mean(tf.math.add(positive, negative), tf.constant(0))

    val gradients = tf.gradients(loss, weights)
    val gated = tf.withControlDependencies(weights.indices.map { tf.identity(gradients.dy<TFloat32>(it)) })
    val beta1 = tf.constant(0.9f)
    val beta2 = tf.constant(0.999f)
    val beta1Power = tf.math.pow(beta1, stepNumber)
    val beta2Power = tf.math.pow(beta2, stepNumber)
    val slots = mutableListOf<Variable<TFloat32>>()
    val updates = weights.mapIndexed { i, w ->
      val shape = w.shape().asArray().map { it.toInt() }.toIntArray()
      val zeros = FloatHostValues(FloatArray(shape.fold(1) { a, b -> a * b }), shape)
      val m = variable(zeros, slots)
      val v = variable(zeros, slots)
      gated.train.applyAdam(w, m, v, beta1Power, beta2Power, tf.constant(1e-3f), beta1, beta2, tf.constant(1e-7f), gradients.dy(i))
    }
    train = tf.withControlDependencies(updates).noOp()
    session = Session(graph)
    initializers.forEach { session.run(it) }
  }

  /** Runs one training step on a batch (images row-major, [n, 28, 28, 1]) and returns the loss. */
  fun step(firstImages: FloatArray, secondImages: FloatArray, labels: FloatArray, step: Long): Float {
    val shape = Shape.of(labels.size.toLong(), 28, 28, 1)
    return TFloat32.tensorOf(shape, DataBuffers.of(firstImages, true, false)).use { a ->
      TFloat32.tensorOf(shape, DataBuffers.of(secondImages, true, false)).use { b ->
        TFloat32.tensorOf(Shape.of(labels.size.toLong()), DataBuffers.of(labels, true, false)).use { y ->
          TFloat32.scalarOf(step.toFloat()).use { t ->
            session.runner().feed(first, a).feed(second, b).feed(label, y).feed(stepNumber, t)
              .addTarget(train).fetch(loss).run().use { result -> (result.get(0) as TFloat32).getFloat() }
          }
        }
      }
    }
  }

  override fun close() {
    session.close()
    graph.close()
  }

  private class Convolution(val kernel: Variable<TFloat32>, val bias: Variable<TFloat32>)

  private class FloatHostValues(val data: FloatArray, val shape: IntArray)

  private fun convolution(inChannels: Int, filters: Int): Convolution {
    val kernel = variable(glorot(intArrayOf(2, 2, inChannels, filters), 4 * inChannels, 4 * filters), weights)
    val bias = variable(FloatHostValues(FloatArray(filters), intArrayOf(filters)), weights)
    return Convolution(kernel, bias)
  }

  private fun twin(images: Operand<TFloat32>): Operand<TFloat32> {
    var x: Operand<TFloat32> = images
    for (c in listOf(conv1, conv2, conv3)) {
      x = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, c.kernel, listOf(1L, 1L, 1L, 1L), "VALID"), c.bias))
      x = tf.nn.maxPool(x, tf.constant(intArrayOf(1, 2, 2, 1)), tf.constant(intArrayOf(1, 2, 2, 1)), "VALID")
      x = dropout(x, 0.4f)
    }
    val pooled = tf.math.mean(x, tf.constant(intArrayOf(1, 2)))
    return tf.nn.biasAdd(tf.linalg.matMul(pooled, denseKernel), denseBias)
  }

  /** Inverted dropout as Keras trains: keep with probability 1 - rate, scale the kept by 1 / (1 - rate). */
  private fun dropout(x: Operand<TFloat32>, rate: Float): Operand<TFloat32> {
    val keep = 1f - rate
    val uniform = tf.random.randomUniform(tf.shape(x), TFloat32::class.java)
    val mask = tf.stopGradient(tf.math.floor(tf.math.add(uniform, tf.constant(keep))))
    return tf.math.mul(x, tf.math.mul(mask, tf.constant(1f / keep)))
  }

  private fun glorot(shape: IntArray, fanIn: Int, fanOut: Int): FloatHostValues {
    val limit = sqrt(6.0 / (fanIn + fanOut))
    val n = shape.fold(1) { a, b -> a * b }
    return FloatHostValues(FloatArray(n) { ((random.nextDouble() * 2 - 1) * limit).toFloat() }, shape)
  }

  private fun variable(initial: FloatHostValues, into: MutableList<Variable<TFloat32>>): Variable<TFloat32> {
    val shape = Shape.of(*initial.shape.map { it.toLong() }.toLongArray())
    val v = tf.variable(shape, TFloat32::class.java)
    initializers += tf.assign(v, tf.constant(shape, DataBuffers.of(initial.data, true, false)))
    into += v
    return v
  }
}
