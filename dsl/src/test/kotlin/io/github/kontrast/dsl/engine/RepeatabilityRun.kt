package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.pipeline.SyntheticPairs
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.PairConvention

/**
 * The run [RepeatabilitySpec] repeats in separate JVMs: a small Siamese CNN with dropout (so the
 * seed decides the weights, the batch order and the dropout masks), two epochs on synthetic
 * pairs. Its fingerprint is every step's loss and the final embeddings of the validation
 * images, each as the hex of its raw bits, so that "equal" means bit for bit.
 */
object RepeatabilityRun {
  const val PREFIX = "bits "

  fun fingerprint(seed: Long): List<String> {
    val train = SyntheticPairs.pairs(128, seed = 1)
    val valid = SyntheticPairs.pairs(16, seed = 2)
    val losses = mutableListOf<Double>()
    val record = object : Callback() {
      override fun onBatchEnd(batch: BatchResult, control: TrainingControl) { losses += batch.loss }
    }
    val model = siamese {
      this.seed = seed
      input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
      encoder {
        conv2d(4, 2, activation = relu)
        maxPool(2)
        dropout(0.3)
        flatten()
        dense(4)
      }
      loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
      optimizer = adam(1e-2)
      quiet = true
    }
    return model.use { m ->
      m.fit(train, epochs = 2, batchSize = 32, callbacks = listOf(record))
      val embeddings = m.embed(valid.batch(IntArray(valid.size) { it })[Batch.FIRST] as FloatHostArray, 16).data
      losses.map { "loss " + java.lang.Long.toHexString(it.toRawBits()) } +
        embeddings.map { "embedding " + Integer.toHexString(it.toRawBits()) }
    }
  }

  /** Prints the fingerprint of the seed given as the only argument, one value a line. */
  @JvmStatic
  fun main(args: Array<String>) {
    require(args.size == 1) { "expected one argument, the seed, got ${args.toList()}" }
    fingerprint(args[0].toLong()).forEach { println(PREFIX + it) }
  }
}
