package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class LabeledImagesSpec : FunSpec({
  // image i is a single pixel holding i, so a subset shows which images it kept
  fun images(n: Int, classes: Int = 10) =
    LabeledImages(FloatHostArray(FloatArray(n) { it.toFloat() }, intArrayOf(n, 1, 1, 1)), IntHostArray(IntArray(n) { it % classes }, intArrayOf(n)))

  test("document 001's split: 60,000 -> 12,000 validation (the FIRST ones) and 48,000 training") {
    val (train, validation) = images(60_000).split(0.2)
    validation.size shouldBe 12_000
    train.size shouldBe 48_000
    validation.images.data.first() shouldBe 0f
    validation.images.data.last() shouldBe 11_999f
    train.images.data.first() shouldBe 12_000f
    train.labels.data.first() shouldBe 0 // 12,000 % 10
  }

  test("the split truncates like Python's int(): 6,000 -> 1,200/4,800, 7 -> 1/6") {
    images(6_000).split().let { it.validation.size to it.train.size } shouldBe (1_200 to 4_800)
    images(7).split(0.2).let { it.validation.size to it.train.size } shouldBe (1 to 6)
    shouldThrow<IllegalArgumentException> { images(7).split(1.5) }.message shouldContain "validationFraction must be in [0, 1], got 1.5"
  }

  test("take keeps the first n, or everything when there are fewer") {
    images(100).take(5).images.data.toList() shouldBe listOf(0f, 1f, 2f, 3f, 4f)
    images(3).take(10).size shouldBe 3
    shouldThrow<IllegalArgumentException> { images(3).take(-1) }
  }

  test("counts per class and the preprocess of document 001 (bytes / 255, a channel axis)") {
    images(25, classes = 4).classCounts() shouldBe mapOf(0 to 7, 1 to 6, 2 to 6, 3 to 6)
    val li = LabeledImages.fromBytes(UInt8Array(intArrayOf(2, 1, 2), byteArrayOf(0, -1, 51, -128)), TestFiles.labels(4, 9))
    li.images.shape.toList() shouldBe listOf(2, 1, 2, 1)
    li.images.data.toList() shouldBe listOf(0f, 1f, 51f / 255f, 128f / 255f)
    li.labels.data.toList() shouldBe listOf(4, 9)
    li.toDataset().batch(intArrayOf(1)).ints(Batch.CLASS).data.toList() shouldBe listOf(9)
  }

  test("mismatched images and labels are rejected with both shapes") {
    val e = shouldThrow<IllegalArgumentException> {
      LabeledImages(FloatHostArray(FloatArray(3), intArrayOf(3, 1)), IntHostArray(IntArray(2), intArrayOf(2)))
    }
    e.message shouldContain "images [3, 1] and labels [2]"
  }
})
