package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.LabeledImages
import org.tensorflow.Graph
import org.tensorflow.Session
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.op.linalg.MatMul
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import kotlin.math.exp
import kotlin.math.sqrt

/**
 * The k-NN monitor of InstDisc, SimCLR and MoCo: embeddings are L2-normalised, each query's [k]
 * most cosine-similar training embeddings vote for their class with weight exp(similarity /
 * [temperature]), and the class with the largest total wins. Defaults are theirs: k = 200,
 * t = 0.1. With fewer than [k] training rows, all of them vote.
 *
 * Ties are broken by index: of equally similar neighbours the lower training index ranks first
 * (TensorFlow's top-k order), and of classes with equal votes the lowest label wins.
 *
 * The similarities are TensorFlow matrix products of [blockSize] queries against all training
 * rows, followed by top-k, so only [blockSize] x N similarities exist at a time (256 x 60,000
 * floats = 61 MB) and only the k best per query come back to the host.
 *
 * @property k neighbours that vote per query (default 200).
 * @property temperature the temperature t of the vote weights exp(similarity / t) (default 0.1).
 * @property blockSize queries scored per matrix product (default 256): bounds the memory to blockSize x N floats.
 */
class KnnClassifier private constructor(val k: Int, val temperature: Double, val blockSize: Int) {
  init {
    require(k > 0) { "k must be > 0, got $k" }
    require(temperature > 0.0 && temperature.isFinite()) { "temperature must be > 0, got $temperature" }
    require(blockSize > 0) { "blockSize must be > 0, got $blockSize" }
  }

  /** The same classifier with [k] voters. */
  fun withK(k: Int) = KnnClassifier(k, temperature, blockSize)
  /** The same classifier with vote temperature [temperature]. */
  fun withTemperature(temperature: Double) = KnnClassifier(k, temperature, blockSize)
  /** The same classifier scoring [blockSize] queries at a time (the result does not change). */
  fun withBlockSize(blockSize: Int) = KnnClassifier(k, temperature, blockSize)

  /**
   * The [k] nearest training rows of every query, most similar first.
   *
   * @property indices per query, the training row indices of its neighbours.
   * @property similarities per query, the cosine similarities of those neighbours, in the same order.
   */
  class Neighbours(val indices: Array<IntArray>, val similarities: Array<FloatArray>)

  /** The min([k], N) training rows of [train] (`[N, D]`) most cosine-similar to each row of [queries] (`[M, D]`). */
  fun neighbours(train: FloatHostArray, queries: FloatHostArray): Neighbours {
    checkMatrix(train, "train")
    checkMatrix(queries, "queries")
    val d = train.shape[1]
    require(queries.shape[1] == d) { "queries must have the training embeddings' width $d, got ${queries.shape[1]}" }
    val n = train.rows
    val m = queries.rows
    val kk = minOf(k, n)
    val indices = arrayOfNulls<IntArray>(m)
    val sims = arrayOfNulls<FloatArray>(m)
    Graph().use { g ->
      val tf = Ops.create(g)
      val base = tf.constant(Shape.of(n.toLong(), d.toLong()), DataBuffers.of(normalised(train), true, false))
      val q = tf.placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1, d.toLong())))
      val similarity = tf.linalg.matMul(q, base, MatMul.transposeB(true))
      val top = tf.nn.topK(similarity, tf.constant(kk), TInt32::class.java)
      val qn = normalised(queries)
      Session(g).use { s ->
        var from = 0
        while (from < m) {
          val rows = minOf(blockSize, m - from)
          val block = qn.copyOfRange(from * d, (from + rows) * d)
          TFloat32.tensorOf(Shape.of(rows.toLong(), d.toLong()), DataBuffers.of(block, true, false)).use { t ->
            s.runner().feed(q, t).fetch(top.values()).fetch(top.indices()).run().use { r ->
              val v = FloatArray(rows * kk).also { (r.get(0) as TFloat32).copyTo(DataBuffers.of(it, false, false)) }
              val ix = IntArray(rows * kk).also { (r.get(1) as TInt32).copyTo(DataBuffers.of(it, false, false)) }
              for (i in 0 until rows) {
                sims[from + i] = v.copyOfRange(i * kk, (i + 1) * kk)
                indices[from + i] = ix.copyOfRange(i * kk, (i + 1) * kk)
              }
            }
          }
          from += rows
        }
      }
    }
    @Suppress("UNCHECKED_CAST")
    return Neighbours(indices as Array<IntArray>, sims as Array<FloatArray>)
  }

  /** The predicted class of every row of [queries], from the labelled training embeddings. */
  fun predict(train: FloatHostArray, trainLabels: IntArray, queries: FloatHostArray): IntArray {
    checkMatrix(train, "train")
    checkLabels(trainLabels, train.rows, "trainLabels")
    val nb = neighbours(train, queries)
    val classes = trainLabels.max() + 1
    val votes = DoubleArray(classes)
    return IntArray(queries.rows) { i ->
      votes.fill(0.0)
      val s = nb.similarities[i]
      val top = s[0].toDouble() // weights relative to the best neighbour: the same argmax, no overflow at small t
      for (j in s.indices) votes[trainLabels[nb.indices[i][j]]] += exp((s[j] - top) / temperature)
      var best = 0
      for (c in 1 until classes) if (votes[c] > votes[best]) best = c
      best
    }
  }

  /** The fraction of [queries] whose predicted class is [queryLabels]. */
  fun accuracy(train: FloatHostArray, trainLabels: IntArray, queries: FloatHostArray, queryLabels: IntArray): Double {
    checkLabels(queryLabels, queries.rows, "queryLabels")
    return accuracy(predict(train, trainLabels, queries), queryLabels)
  }

  /** k-NN accuracy on [test] of embeddings from [embed], the memory bank being [train]'s embeddings. */
  fun evaluate(embed: EmbeddingFunction, train: LabeledImages, test: LabeledImages): Double =
    accuracy(embed.embedChecked(train.images, "training"), train.labels.data, embed.embedChecked(test.images, "test"), test.labels.data)

  override fun toString(): String = "KnnClassifier(k=$k, temperature=$temperature)"

  companion object {
    /** k = 200, t = 0.1, as the InstDisc/MoCo monitor. */
    @JvmStatic
    fun create(): KnnClassifier = KnnClassifier(200, 0.1, 256)

    /** Rows divided by their L2 norm (zero rows stay zero, as F.normalize's eps does). */
    internal fun normalised(x: FloatHostArray): FloatArray {
      val d = x.shape[1]
      val out = FloatArray(x.data.size)
      for (r in 0 until x.rows) {
        var ss = 0.0
        for (j in 0 until d) { val v = x.data[r * d + j].toDouble(); ss += v * v }
        val inv = 1.0 / maxOf(sqrt(ss), 1e-12)
        for (j in 0 until d) out[r * d + j] = (x.data[r * d + j] * inv).toFloat()
      }
      return out
    }
  }
}
