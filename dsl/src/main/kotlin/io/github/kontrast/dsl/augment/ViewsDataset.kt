package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.BatchIterator
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.github.kontrast.dsl.data.PrefetchIterator

/**
 * A dataset of augmented views: each batch of [source] comes back with its images (the array
 * [imageName]) replaced by one array per view, [Batch.VIEW1] and [Batch.VIEW2] by default, every
 * other array (class labels, say) kept. View v of example i in epoch e is drawn by
 * [Augmentation.random] (seed, e, i, v), i being the example's index in [source]: the same
 * whatever the batch size, the shuffling or [workers].
 *
 * [batches] computes the views on a background thread, at most [prefetch] batches ahead of the
 * training step (0: on the caller's thread), with [workers] threads sharing each batch.
 * [batch] (random access) gives the views of epoch 0, [batch] with an epoch those of that epoch.
 */
class ViewsDataset private constructor(
  /** The dataset whose images are augmented. */
  val source: Dataset,
  /** One augmentation per view, in the order of [viewNames]. */
  val views: List<Augmentation>,
  /** The array name of each view in a batch, distinct. */
  val viewNames: List<String>,
  /** Seed of the views' random streams: with the epoch, example and view it fixes every view. */
  val seed: Long,
  /** The array of [source] that holds the images; it is replaced by the views. */
  val imageName: String,
  /** Batches computed ahead of the training step on a background thread; 0 computes them on the caller's thread. */
  val prefetch: Int,
  /** Threads that share the augmentation of one batch. */
  val workers: Int,
) : Dataset {
  init {
    require(views.isNotEmpty()) { "views must hold at least one augmentation" }
    require(viewNames.size == views.size) { "viewNames must have one name per view (${views.size}), got $viewNames" }
    require(viewNames.toSet().size == viewNames.size) { "viewNames must be distinct, got $viewNames" }
    require(prefetch >= 0) { "prefetch must be >= 0, got $prefetch" }
    require(workers > 0) { "workers must be > 0, got $workers" }
  }

  /** The shape of one image of [source] (checked on its first example). */
  val imageShape: ImageShape? = if (source.size == 0) null else imagesOf(source.batch(intArrayOf(0))).let { ImageShape.ofBatch(it) }

  /** The shape of each view, in [viewNames] order. */
  val viewShapes: List<ImageShape> = imageShape?.let { s -> views.map { it.outputShape(s) } } ?: emptyList()

  override val size: Int get() = source.size

  /** The same views with [batches] computed at most [count] batches ahead (0 = on the caller's thread). */
  fun withPrefetch(count: Int): ViewsDataset = ViewsDataset(source, views, viewNames, seed, imageName, count, workers)

  /** The same views computed by [count] threads per batch (the prefetch thread and count - 1 helpers). */
  fun withWorkers(count: Int): ViewsDataset = ViewsDataset(source, views, viewNames, seed, imageName, prefetch, count)

  /** The same views under other batch array names. */
  fun withViewNames(vararg names: String): ViewsDataset = ViewsDataset(source, views, names.toList(), seed, imageName, prefetch, workers)

  override fun batch(indices: IntArray): Batch = batch(indices, 0)

  /** The examples at [indices] with the views of [epoch]. */
  fun batch(indices: IntArray, epoch: Int): Batch = augment(source.batch(indices), indices, epoch)

  override fun batches(batchSize: Int, shuffle: Boolean, seed: Long, epoch: Int, dropLast: Boolean): BatchIterator {
    val order = Dataset.checkedEpochOrder(size, batchSize, shuffle, seed, epoch)
    val count = Dataset.batchCount(size, batchSize, dropLast)
    val produce = { b: Int ->
      val indices = Dataset.batchIndices(order, b, batchSize)
      augment(source.batch(indices), indices, epoch)
    }
    return if (prefetch == 0) {
      BatchIterator.of((0 until count).asSequence().map(produce).iterator())
    } else {
      PrefetchIterator(count, prefetch, produce)
    }
  }

  private fun augment(batch: Batch, indices: IntArray, epoch: Int): Batch {
    val images = imagesOf(batch)
    val arrays = LinkedHashMap<String, HostArray>(batch.arrays)
    arrays.remove(imageName)
    views.forEachIndexed { v, aug ->
      arrays[viewNames[v]] = aug.applyTo(images, this.seed, epoch, indices, v, workers)
    }
    return Batch(arrays)
  }

  private fun imagesOf(batch: Batch): FloatHostArray {
    val a = batch.arrays[imageName]
      ?: throw IllegalArgumentException("the source batches have no array '$imageName' to augment; they have ${batch.arrays.keys}")
    require(a is FloatHostArray) { "array '$imageName' holds ${a.javaClass.simpleName}, expected float images" }
    return a
  }

  override fun toString(): String = "ViewsDataset($size examples, ${viewNames.zip(views).joinToString { "${it.first}=${it.second}" }})"

  companion object {
    /** Two views of every image of [source] ([Batch.VIEW1], [Batch.VIEW2]), both drawn from [augmentation]. */
    @JvmStatic
    @JvmOverloads
    fun of(source: Dataset, augmentation: Augmentation, seed: Long = 0L, imageName: String = Batch.IMAGE): ViewsDataset =
      of(source, augmentation, augmentation, seed, imageName)

    /** Two views from two augmentations (BYOL's asymmetric recipe: [first] for VIEW1, [second] for VIEW2). */
    @JvmStatic
    @JvmOverloads
    fun of(source: Dataset, first: Augmentation, second: Augmentation, seed: Long = 0L, imageName: String = Batch.IMAGE): ViewsDataset =
      ViewsDataset(source, listOf(first, second), listOf(Batch.VIEW1, Batch.VIEW2), seed, imageName, DEFAULT_PREFETCH, 1)

    /** Any number of views, named view1, view2, view3, ... (multi-crop). */
    @JvmStatic
    @JvmOverloads
    fun of(source: Dataset, views: List<Augmentation>, seed: Long = 0L, imageName: String = Batch.IMAGE): ViewsDataset =
      ViewsDataset(source, views, List(views.size) { "view${it + 1}" }, seed, imageName, DEFAULT_PREFETCH, 1)

    /** Batches computed ahead by default. */
    const val DEFAULT_PREFETCH = 2
  }
}

/** Two augmented views of every image ([Batch.VIEW1], [Batch.VIEW2]); the class labels stay as [Batch.CLASS]. */
@JvmOverloads
fun LabeledImages.views(augmentation: Augmentation, seed: Long = 0L): ViewsDataset = ViewsDataset.of(toDataset(), augmentation, seed)

/** Two augmented views of every image of this dataset's [imageName] array. */
@JvmOverloads
fun Dataset.views(augmentation: Augmentation, seed: Long = 0L, imageName: String = Batch.IMAGE): ViewsDataset =
  ViewsDataset.of(this, augmentation, seed, imageName)
