package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe

/** Document 003's pairs: two shifted views of one image (label 0), or an image and another class's (label 1). */
class AugmentedPairsSpec : FunSpec({
  /** 28x28 images, one lit pixel each, at a place that identifies the image; classes 0..2 cycling. */
  fun dots(n: Int): LabeledImages {
    val data = FloatArray(n * 784)
    for (i in 0 until n) data[i * 784 + (8 + i % 12) * 28 + (8 + i / 12)] = 1f
    return LabeledImages(FloatHostArray(data, intArrayOf(n, 28, 28, 1)), IntHostArray(IntArray(n) { it % 3 }, intArrayOf(n)))
  }

  fun lit(data: FloatArray, k: Int): Pair<Int, Int> {
    val at = (0 until 784).single { data[k * 784 + it] == 1f }
    return at / 28 to at % 28
  }

  fun origin(i: Int) = (8 + i % 12) to (8 + i / 12)

  test("one positive (the same image twice) and one negative (another class) per image, labelled 0 and 1 as the document") {
    val images = dots(30)
    val pairs = AugmentedPairs.generate(images, seed = 1)
    pairs.size shouldBe 60
    (0 until 60).count { pairs.isPositive(it) } shouldBe 30
    (0 until 60).map { pairs.first(it) }.sorted() shouldBe (0 until 30).flatMap { listOf(it, it) }
    for (p in 0 until 60) if (!pairs.isPositive(p)) (images.label(pairs.first(p)) != images.label(pairs.second(p))) shouldBe true
    val b = pairs.batch(IntArray(60) { it })
    b.floats(Batch.LABEL).data.toList() shouldBe List(60) { if (pairs.isPositive(it)) 0f else 1f }
    b.ints(Batch.CLASS).data.toList() shouldBe List(60) { images.label(pairs.first(it)) }
  }

  test("both images of every pair are shifted by at most 2 pixels per axis, independently") {
    val images = dots(30)
    val pairs = AugmentedPairs.generate(images, seed = 2)
    val b = pairs.batch(IntArray(60) { it })
    val first = b.floats(Batch.FIRST).data
    val second = b.floats(Batch.SECOND).data
    var moved = 0
    var differentViews = 0
    for (p in 0 until 60) {
      val (y1, x1) = lit(first, p)
      val (y2, x2) = lit(second, p)
      val (oy, ox) = origin(pairs.first(p))
      (Math.abs(y1 - oy) <= 2 && Math.abs(x1 - ox) <= 2) shouldBe true
      val (sy, sx) = origin(pairs.second(p))
      (Math.abs(y2 - sy) <= 2 && Math.abs(x2 - sx) <= 2) shouldBe true
      if (y1 != oy || x1 != ox) moved++
      if (pairs.isPositive(p) && (y1 != y2 || x1 != x2)) differentViews++
    }
    // 24 of 25 shifts move the image; most positives show two different views
    (moved > 45) shouldBe true
    (differentViews > 24) shouldBe true
    // no shift: the images as they are
    val still = AugmentedPairs.generate(images, seed = 2, maxShift = 0).batch(IntArray(60) { it })
    for (p in 0 until 60) lit(still.floats(Batch.FIRST).data, p) shouldBe origin(pairs.first(p))
  }

  test("a shift moves the image and lets zeros in at the edge") {
    val data = FloatArray(784) { 0.5f }
    val images = LabeledImages(FloatHostArray(data + data, intArrayOf(2, 28, 28, 1)), IntHostArray(intArrayOf(0, 1), intArrayOf(2)))
    val b = AugmentedPairs.generate(images, seed = 3).batch(IntArray(4) { it })
    val first = b.floats(Batch.FIRST).data
    for (k in 0 until 4) {
      val img = first.copyOfRange(k * 784, (k + 1) * 784)
      val zeroRows = (0 until 28).count { y -> (0 until 28).all { x -> img[y * 28 + x] == 0f } }
      val zeroCols = (0 until 28).count { x -> (0 until 28).all { y -> img[y * 28 + x] == 0f } }
      (zeroRows <= 2 && zeroCols <= 2) shouldBe true
      // what is not zeroed keeps its value: the count of 0.5s is (28 - rows)(28 - cols)
      img.count { it == 0.5f } shouldBe (28 - zeroRows) * (28 - zeroCols)
    }
  }

  test("views are drawn per pair and epoch: the same for any batch size, new in the next epoch") {
    val pairs = AugmentedPairs.generate(dots(30), seed = 4)
    fun views(batchSize: Int, epoch: Int): Map<Int, List<Float>> {
      val order = Dataset.epochOrder(60, true, 9, epoch)
      val out = HashMap<Int, List<Float>>()
      var at = 0
      pairs.batches(batchSize, seed = 9, epoch = epoch).use { it.forEach { b ->
        val f = b.floats(Batch.FIRST).data
        for (k in 0 until b.size) out[order[at++]] = f.copyOfRange(k * 784, (k + 1) * 784).toList()
      } }
      return out
    }
    val e0 = views(4, 0)
    e0 shouldBe views(16, 0)
    e0 shouldNotBe views(4, 1)
  }

  test("bad arguments are refused") {
    shouldThrow<IllegalArgumentException> { AugmentedPairs.generate(dots(6), maxShift = -1) }.message shouldBe "maxShift must be >= 0, got -1"
    val one = LabeledImages(FloatHostArray(FloatArray(784 * 2), intArrayOf(2, 28, 28, 1)), IntHostArray(intArrayOf(4, 4), intArrayOf(2)))
    shouldThrow<IllegalArgumentException> { AugmentedPairs.generate(one) }.message shouldBe "images must have at least 2 classes to draw negatives, got only class 4"
  }
})
