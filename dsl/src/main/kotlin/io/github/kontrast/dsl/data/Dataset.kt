package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * A finite collection of examples with random access. Random access is what makes shuffling
 * repeatable: the order of epoch e depends only on (seed, e), so a run resumed from a checkpoint
 * sees the same batches as one that never stopped.
 */
interface Dataset {
  /** Number of examples. */
  val size: Int

  /** The examples at [indices], in that order, as one batch. */
  fun batch(indices: IntArray): Batch

  /**
   * The batches of one epoch. With [shuffle] the order is a permutation drawn from (seed, epoch).
   * The last partial batch is kept unless [dropLast]. Close the iterator when stopping early (see
   * [BatchIterator]); here batches are computed on the caller's thread.
   */
  fun batches(batchSize: Int, shuffle: Boolean = true, seed: Long = 0L, epoch: Int = 0, dropLast: Boolean = false): BatchIterator {
    val order = checkedEpochOrder(size, batchSize, shuffle, seed, epoch)
    val count = batchCount(size, batchSize, dropLast)
    return BatchIterator.of((0 until count).asSequence().map { b -> batch(batchIndices(order, b, batchSize)) }.iterator())
  }

  /**
   * This dataset with [transform] applied to every batch on the fly, on a background thread that
   * computes a few batches ahead ([MappedDataset]). The transform gets a generator seeded from
   * [seed] and the batch's position in its epoch, so augmentations are repeatable. Two augmented
   * views of one batch: `map { b, r -> b.with(VIEW1, aug(b, r)).with(VIEW2, aug(b, r)) }`.
   */
  fun map(seed: Long = 0L, transform: BatchTransform): Dataset = MappedDataset(this, seed, transform)

  companion object {
    /** The example order of one epoch: identity, or a Fisher-Yates permutation seeded by (seed, epoch). */
    fun epochOrder(size: Int, shuffle: Boolean, seed: Long, epoch: Int): IntArray {
      val order = IntArray(size) { it }
      if (!shuffle) return order
      val rng = SplittableRandom(seed * 1_000_003L + epoch)
      for (i in size - 1 downTo 1) {
        val j = rng.nextInt(i + 1)
        val t = order[i]; order[i] = order[j]; order[j] = t
      }
      return order
    }

    /** Number of batches of one epoch. */
    fun batchCount(size: Int, batchSize: Int, dropLast: Boolean): Int =
      if (dropLast) size / batchSize else (size + batchSize - 1) / batchSize

    /** The example indices of batch [b] of an epoch in [order]. */
    fun batchIndices(order: IntArray, b: Int, batchSize: Int): IntArray {
      val from = b * batchSize
      return order.copyOfRange(from, minOf(from + batchSize, order.size))
    }

    internal fun checkedEpochOrder(size: Int, batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int): IntArray {
      require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
      require(size > 0) { "the dataset is empty: nothing to batch" }
      require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
      return epochOrder(size, shuffle, seed, epoch)
    }
  }
}

/**
 * A dataset held in memory as named arrays that share their first dimension.
 *
 * @property arrays the arrays by name (e.g. [Batch.IMAGE], [Batch.CLASS]); example i is row i of each.
 */
class ArrayDataset(val arrays: Map<String, HostArray>) : Dataset {
  constructor(vararg arrays: Pair<String, HostArray>) : this(mapOf(*arrays))

  private val whole = Batch(arrays)

  override val size: Int get() = whole.size

  override fun batch(indices: IntArray): Batch = whole.gather(indices)
}
