package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.PrefetchIterator
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.util.SplittableRandom

/** Two views per image: names, shapes, per-example seeding (batch size, order and workers change nothing). */
class ViewsSpec : FunSpec({
  // 40 random 8x8 RGB "images"; the class array holds each example's own index, to find it in any batch
  val n = 40
  val random = SplittableRandom(11)
  val images = FloatHostArray(FloatArray(n * 8 * 8 * 3) { random.nextDouble().toFloat() }, intArrayOf(n, 8, 8, 3))
  val data = ArrayDataset(Batch.IMAGE to images, Batch.CLASS to IntHostArray(IntArray(n) { it }, intArrayOf(n)))
  val recipe = augmentation {
    randomResizedCrop(6, scale = 0.3..1.0)
    horizontalFlip(0.5)
    colorJitter(0.4, 0.4, 0.4, 0.1, p = 0.8)
    randomGrayscale(0.2)
    gaussianBlur(3, p = 0.5)
    solarize(0.5f, p = 0.2)
  }

  /** Every example's (view1, view2) of one epoch, by example index, read through batches of [batchSize]. */
  fun viewsByExample(ds: ViewsDataset, batchSize: Int, shuffle: Boolean, epoch: Int): Map<Int, Pair<List<Float>, List<Float>>> {
    val out = HashMap<Int, Pair<List<Float>, List<Float>>>()
    ds.batches(batchSize, shuffle, seed = 99, epoch = epoch).use { it ->
      for (b in it) {
        val ids = b.ints(Batch.CLASS).data
        val v1 = b.floats(Batch.VIEW1).data
        val v2 = b.floats(Batch.VIEW2).data
        val len = 6 * 6 * 3
        ids.forEachIndexed { k, id -> out[id] = v1.copyOfRange(k * len, (k + 1) * len).toList() to v2.copyOfRange(k * len, (k + 1) * len).toList() }
      }
    }
    return out
  }

  test("a batch carries view1 and view2 of the crop's size, keeps the labels, and drops the source images") {
    val views = data.views(recipe, seed = 5)
    val b = views.batch(intArrayOf(3, 17, 4))
    b.arrays.keys shouldContainExactly setOf(Batch.CLASS, Batch.VIEW1, Batch.VIEW2)
    b.floats(Batch.VIEW1).shape.toList() shouldBe listOf(3, 6, 6, 3)
    b.floats(Batch.VIEW2).shape.toList() shouldBe listOf(3, 6, 6, 3)
    b.ints(Batch.CLASS).data.toList() shouldBe listOf(3, 17, 4)
    b.floats(Batch.VIEW1).data.toList() shouldNotBe b.floats(Batch.VIEW2).data.toList()
    views.viewShapes shouldBe listOf(ImageShape(6, 6, 3), ImageShape(6, 6, 3))
  }

  test("the views of an example do not depend on batch size, shuffling, prefetching or the number of workers") {
    val views = data.views(recipe, seed = 5)
    val reference = viewsByExample(views.withPrefetch(0), 1, shuffle = false, epoch = 2)
    reference.size shouldBe n
    viewsByExample(views, 7, shuffle = true, epoch = 2) shouldBe reference
    viewsByExample(views.withWorkers(3), 16, shuffle = true, epoch = 2) shouldBe reference
    viewsByExample(views.withWorkers(4).withPrefetch(1), n, shuffle = false, epoch = 2) shouldBe reference
    // random access gives the same views for that epoch
    val b = views.batch(intArrayOf(9, 0), epoch = 2)
    b.floats(Batch.VIEW1).data.copyOfRange(0, 108).toList() shouldBe reference.getValue(9).first
    b.floats(Batch.VIEW2).data.copyOfRange(108, 216).toList() shouldBe reference.getValue(0).second
  }

  test("the seed and the epoch change the views; the same seed repeats them") {
    val a = viewsByExample(data.views(recipe, seed = 5), 8, shuffle = true, epoch = 0)
    viewsByExample(data.views(recipe, seed = 5), 8, shuffle = true, epoch = 0) shouldBe a
    val otherEpoch = viewsByExample(data.views(recipe, seed = 5), 8, shuffle = true, epoch = 1)
    val otherSeed = viewsByExample(data.views(recipe, seed = 6), 8, shuffle = true, epoch = 0)
    (0 until n).count { otherEpoch[it] == a[it] } shouldBe 0
    (0 until n).count { otherSeed[it] == a[it] } shouldBe 0
  }

  test("views are computed on the prefetch thread") {
    val seen = java.util.Collections.synchronizedSet(HashSet<String>())
    val spy = object : ImageOp {
      override fun outputShape(input: ImageShape) = input
      override fun apply(image: HostImage, random: SplittableRandom): HostImage { seen += Thread.currentThread().name; return image }
    }
    val it = data.views(Augmentation.of(spy)).batches(10)
    (it is PrefetchIterator) shouldBe true
    it.use { i -> i.forEach { } }
    seen.single() shouldStartWith "kontrast-batches-"
  }

  test("two augmentations give asymmetric views; a list gives named multi-crop views") {
    val identity = Augmentation(emptyList())
    val asym = ViewsDataset.of(data, identity, augmentation { solarize(0f, p = 1.0) }, seed = 1).batch(intArrayOf(2))
    asym.floats(Batch.VIEW1).data.toList() shouldBe images.gather(intArrayOf(2)).data.toList()
    asym.floats(Batch.VIEW2).data.toList() shouldBe images.gather(intArrayOf(2)).data.map { 1f - it }
    val multi = ViewsDataset.of(data, listOf(recipe, recipe, augmentation { randomResizedCrop(4) }), seed = 1).batch(intArrayOf(0, 1))
    multi.floats("view3").shape.toList() shouldBe listOf(2, 4, 4, 3)
    multi.arrays.keys shouldBe setOf(Batch.CLASS, "view1", "view2", "view3")
  }

  test("one-channel images without a channel axis come out as [N, H, W, 1]") {
    val digits = ArrayDataset(Batch.IMAGE to FloatHostArray(FloatArray(2 * 28 * 28) { (it % 7) / 7f }, intArrayOf(2, 28, 28)))
    val b = digits.views(Augmentations.digits()).batch(intArrayOf(0, 1))
    b.floats(Batch.VIEW1).shape.toList() shouldBe listOf(2, 28, 28, 1)
    b.floats(Batch.VIEW1).data.all { it in 0f..1f } shouldBe true
  }

  test("a recipe that cannot take the images fails when the dataset is made, naming the step") {
    val grey = ArrayDataset(Batch.IMAGE to FloatHostArray(FloatArray(4 * 16) { 0.5f }, intArrayOf(4, 4, 4, 1)))
    shouldThrow<IllegalArgumentException> { grey.views(Augmentations.simclr(4, kernelSize = 3)) }.message shouldContain
      "Normalize has 3 means and stds but the image has 1 channel(s)"
    shouldThrow<IllegalArgumentException> { data.views(recipe, imageName = "pixels") }.message shouldContain
      "the source batches have no array 'pixels' to augment; they have [image, class]"
  }
})
