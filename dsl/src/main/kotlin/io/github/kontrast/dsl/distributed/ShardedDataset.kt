package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.augment.MultimodalDataset
import io.github.kontrast.dsl.augment.ViewsDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.BatchIterator
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.PrefetchIterator

/**
 * One worker's share of [source]: asked for batches of b examples, it yields, for every global
 * batch of b * [workers] examples, the b rows at [rank] * b. The epoch order is the one a single
 * process training with the global batch size sees (it depends on the seed and the epoch only), so
 * the workers' slices together are exactly that process's batches. The last global batch is
 * dropped when it is incomplete, because every worker must hold as many rows as the others for
 * the collectives; a dataset whose size the global batch divides loses nothing.
 *
 * Augmented views stay the same whatever the number of workers: a [ViewsDataset] draws view v of
 * example i in epoch e from (seed, e, i, v), and a [MultimodalDataset] (CLIP's pairs) draws pair i
 * from (seed, e, i), so this dataset asks them for the slice's examples in the epoch being
 * trained. A dataset whose randomness depends on the batch (a `map` transform, seeded per batch)
 * would not be worker-invariant; plain arrays are.
 *
 * @property source the whole dataset, the same on every worker.
 * @property workers the number of workers sharing each global batch.
 * @property rank this worker's index.
 */
class ShardedDataset(val source: Dataset, val workers: Int, val rank: Int) : Dataset {
  init {
    require(workers >= 1) { "workers: expected >= 1, got $workers" }
    require(rank in 0 until workers) { "rank: expected 0..${workers - 1}, got $rank" }
  }

  /** Examples this worker trains on per epoch is [size] / [workers]; [size] is the whole dataset's, as progress lines expect. */
  override val size: Int get() = source.size

  override fun batch(indices: IntArray): Batch = source.batch(indices)

  /** [batchSize] is this worker's share b of each global batch of b * [workers] examples. */
  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    val global = batchSize.toLong() * workers
    require(global <= source.size) { "batchSize: $workers workers x $batchSize examples need at least $global examples, the dataset has ${source.size}" }
    val order = Dataset.epochOrder(source.size, shuffle, seed, epoch)
    val count = (source.size / global).toInt()
    val produce = { b: Int ->
      val from = b * global.toInt() + rank * batchSize
      val indices = order.copyOfRange(from, from + batchSize)
      when (source) {
        is ViewsDataset -> source.batch(indices, epoch)
        is MultimodalDataset -> source.batch(indices, epoch)
        else -> source.batch(indices)
      }
    }
    val prefetch = when (source) {
      is ViewsDataset -> source.prefetch
      is MultimodalDataset -> source.prefetch
      else -> 0
    }
    return if (prefetch > 0) {
      PrefetchIterator(count, prefetch, produce)
    } else {
      BatchIterator.of((0 until count).asSequence().map(produce).iterator())
    }
  }
}
