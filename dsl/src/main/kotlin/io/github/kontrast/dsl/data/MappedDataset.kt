package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * A dataset whose batches go through one or more [BatchTransform]s, computed on a background
 * thread at most [prefetch] batches ahead of the consumer ([prefetch] = 0 computes them on the
 * caller's thread). Made by [Dataset.map]; further [map]s add stages to the same worker.
 *
 * Randomness: in [batches], stage d of batch b of epoch e gets a generator seeded from
 * (stage seed, the epoch seed, e, b, d), so the same call gives the same augmented batches, in
 * any run. In [batch] (random access, no epoch) the seed comes from the stage seed and the indices.
 *
 * @property source the dataset whose batches are transformed.
 * @property prefetch batches computed ahead on the worker thread; [DEFAULT_PREFETCH] unless [withPrefetch] set it.
 */
class MappedDataset private constructor(
  val source: Dataset,
  private val stages: List<Stage>,
  val prefetch: Int,
) : Dataset {
  private class Stage(val seed: Long, val transform: BatchTransform)

  init {
    require(prefetch >= 0) { "prefetch must be >= 0, got $prefetch" }
  }

  internal constructor(source: Dataset, seed: Long, transform: BatchTransform, prefetch: Int = DEFAULT_PREFETCH) :
    this(source, listOf(Stage(seed, transform)), prefetch)

  override val size: Int get() = source.size

  /** Number of transforms applied in order. */
  val stageCount: Int get() = stages.size

  override fun map(seed: Long, transform: BatchTransform): Dataset =
    MappedDataset(source, stages + Stage(seed, transform), prefetch)

  /** The same transforms with [batches] computed at most [batches] ahead (0 = on the caller's thread). */
  fun withPrefetch(batches: Int): MappedDataset = MappedDataset(source, stages, batches)

  override fun batch(indices: IntArray): Batch {
    val key = indices.fold(indices.size.toLong()) { h, i -> Seeds.mix(h, i.toLong()) }
    return transform(source.batch(indices)) { d -> Seeds.mix(stages[d].seed, key, d.toLong()) }
  }

  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    val order = Dataset.checkedEpochOrder(size, batchSize, shuffle, seed, epoch)
    val count = Dataset.batchCount(size, batchSize, dropLast)
    val produce = { b: Int ->
      val raw = source.batch(Dataset.batchIndices(order, b, batchSize))
      transform(raw) { d -> Seeds.mix(stages[d].seed, seed, epoch.toLong(), b.toLong(), d.toLong()) }
    }
    return if (prefetch == 0) {
      BatchIterator.of((0 until count).asSequence().map(produce).iterator())
    } else {
      PrefetchIterator(count, prefetch, produce)
    }
  }

  private inline fun transform(batch: Batch, seedOf: (Int) -> Long): Batch {
    var b = batch
    for (d in stages.indices) b = stages[d].transform.apply(b, SplittableRandom(seedOf(d)))
    return b
  }

  companion object {
    /** Batches computed ahead by default: enough to hide a transform behind a training step. */
    const val DEFAULT_PREFETCH = 2
  }
}
