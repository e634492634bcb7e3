package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * Pairs of rows of [points] drawn at random for every batch, each labelled by [label] from the two
 * row indices: document 002's `sampler[n]`, which NetTrain calls for each batch. Batches hold
 * [Batch.FIRST], [Batch.SECOND] (rows of [points]) and [Batch.LABEL] (float `[B]`).
 *
 * In [batches] (training) batch b of epoch e is a fresh draw from (seed, epoch seed, e, b): as
 * Wolfram's RandomSample, the first members of a batch are distinct rows and so are the second
 * members, the two drawn independently; [size] pairs make one epoch. In [batch] (random access:
 * evaluation, prediction) pair i is the same two rows every time, drawn from (seed, i).
 */
class RandomPairs(
  /** The rows the pairs are drawn from. */
  val points: HostArray,
  override val size: Int,
  /** Seed of the draws. */
  val seed: Long = 0L,
  /** Labels a pair from its two row indices. */
  val label: PairLabel,
) : Dataset {
  init {
    require(points.rows >= 2) { "points must hold at least 2 rows to pair, got ${points.rows}" }
    require(size > 0) { "size must be > 0 pairs, got $size" }
  }

  /** The label of the pair of rows `a` and `b`. */
  fun interface PairLabel {
    /** The label of the pair of rows `a` and `b` of [RandomPairs.points]. */
    fun of(a: Int, b: Int): Float
  }

  override fun batch(indices: IntArray): Batch {
    val n = points.rows
    val a = IntArray(indices.size)
    val b = IntArray(indices.size)
    indices.forEachIndexed { k, i ->
      val r = SplittableRandom(Seeds.mix(seed, i.toLong()))
      a[k] = r.nextInt(n)
      b[k] = r.nextInt(n)
    }
    return assemble(a, b)
  }

  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(epoch >= 0) { "epoch must be >= 0, got $epoch" }
    val count = Dataset.batchCount(size, batchSize, dropLast)
    val draw = { b: Int ->
      val n = minOf(batchSize, size - b * batchSize)
      val r = SplittableRandom(Seeds.mix(this.seed, seed, epoch.toLong(), b.toLong()))
      assemble(sample(n, r), sample(n, r))
    }
    return BatchIterator.of((0 until count).asSequence().map(draw).iterator())
  }

  /** [n] distinct rows (all rows, repeated, when [n] exceeds them), by a partial Fisher-Yates shuffle. */
  private fun sample(n: Int, r: SplittableRandom): IntArray {
    val rows = points.rows
    val out = IntArray(n)
    var filled = 0
    while (filled < n) {
      val pool = IntArray(rows) { it }
      val take = minOf(rows, n - filled)
      for (i in 0 until take) {
        val j = i + r.nextInt(rows - i)
        val t = pool[i]; pool[i] = pool[j]; pool[j] = t
        out[filled + i] = pool[i]
      }
      filled += take
    }
    return out
  }

  private fun assemble(a: IntArray, b: IntArray): Batch = Batch(
    mapOf(
      Batch.FIRST to points.gather(a),
      Batch.SECOND to points.gather(b),
      Batch.LABEL to FloatHostArray(FloatArray(a.size) { label.of(a[it], b[it]) }, intArrayOf(a.size)),
    ),
  )

  override fun toString(): String = "RandomPairs($size pairs an epoch from ${points.rows} rows)"
}
