package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.data.PairDataset
import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.optim.sgd
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention

/**
 * Two small, fixed Siamese runs on the shipped MNIST subset whose numbers [SiameseGoldenSpec]
 * pins bit for bit: what the pipeline computes must not change when the code under it is
 * reorganised. Written only with API that users had before the pipeline base existed.
 */
object GoldenRuns {
  /** What a run gave: per-epoch history, evaluate() on test pairs, some distances and embedding values. */
  class Result(
    val history: Map<String, List<Double>>,
    val test: Map<String, Double>,
    val distances: List<Float>,
    val embedding: List<Float>,
    val steps: Long,
  )

  private val data by lazy { Mnist.loadSubset() }

  /** 192 training images (384 pairs), 48 validation images (96 pairs), 100 test images (200 pairs). */
  private val pairs: Triple<PairDataset, PairDataset, PairDataset> by lazy {
    val (train, validation) = data.train.take(240).split(0.2)
    Triple(train.pairs(11), validation.pairs(12), data.test.take(100).pairs(13))
  }

  /** A few embedding values of the first images of test pairs 0, 2 and 4 (three different images): every 5th of their 16 components. */
  private fun sample(e: FloatHostArray): List<Float> = (0 until 3).flatMap { r -> (0 until 16 step 5).map { e.data[r * 16 + it] } }

  /** The DSL run: a two-block CNN with dropout, document 001's loss, Adam, 3 epochs of 12 steps. */
  fun dsl(): Result {
    val (train, validation, test) = pairs
    return siamese {
      seed = 42
      input(28, 28, 1)
      encoder {
        conv2d(8, 3, activation = relu)
        maxPool(2)
        dropout(0.3)
        conv2d(16, 3, activation = relu)
        maxPool(2)
        dropout(0.3)
        globalAveragePooling()
        dense(16)
      }
      loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
      optimizer = adam(1e-2)
      threshold = 0.5f
      quiet = true
    }.use { m ->
      val h = m.fit(train, validation, epochs = 3, batchSize = 32)
      val images = test.batch(intArrayOf(0, 2, 4))[Batch.FIRST] as FloatHostArray
      Result(h.history, m.evaluate(test, 64), m.predict(ArrayDataset(test.batch(IntArray(6) { it }).arrays), 4).data.toList(), sample(m.embed(images, 2)), m.step)
    }
  }

  /** The Java-style run: Siamese.builder() with a Sequential from its builder, another loss and SGD with momentum. */
  fun javaStyle(): Result {
    val (train, validation, test) = pairs
    val twin = Sequential.builder()
      .name("siamese_twin")
      .conv2d(8, 3, Activations.relu).maxPool(2).dropout(0.25f)
      .conv2d(16, 3, Activations.relu).maxPool(2)
      .globalAveragePooling()
      .dense(16)
      .build()
    return Siamese.builder()
      .seed(7)
      .input(28, 28, 1)
      .encoder(twin)
      .loss(ContrastiveLoss.create().withMargin(2f).withConvention(PairConvention.ONE_MEANS_SIMILAR))
      .optimizer(sgd(0.05, 0.9))
      .threshold(1f)
      .quiet(true)
      .build()
      .use { m ->
        val h = m.fit(train, validation, 2, 48)
        val images = test.batch(intArrayOf(0, 2, 4))[Batch.FIRST] as FloatHostArray
        Result(h.history, m.evaluate(test, 50), m.predict(ArrayDataset(test.batch(IntArray(6) { it }).arrays), 6).data.toList(), sample(m.embed(images, 3)), m.step)
      }
  }
}
