package io.github.kontrast.dsl.data

import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.dsl.text.WordDropout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class CaptionedImagesSpec : FunSpec({
  val captions = (0 until 12).map { i -> listOf("image $i", "picture number $i", "photo $i") }
  val pairs = CaptionedImages(
    FloatHostArray(FloatArray(12 * 2) { it.toFloat() }, intArrayOf(12, 2, 1)), captions,
    IntArray(12) { it % 3 }, listOf("a", "b", "c"), IntArray(12) { it / 2 },
  )
  val tokenizer = Tokenizer.fit(pairs.allCaptions, maxLength = 4)

  test("split by group: the held-out part gets whole groups, at least the fraction, disjoint from training") {
    val (train, held) = pairs.split(0.25, 7)
    held.size shouldBe 4 // groups of two: 3 images would need a group split, so two groups
    (train.size + held.size) shouldBe 12
    val heldGroups = (0 until held.size).map { held.group(it) }.toSet()
    (0 until train.size).none { train.group(it) in heldGroups } shouldBe true
    pairs.split(0.25, 7).second.names shouldBe held.names
    shouldThrow<IllegalArgumentException> { pairs.split(1.0, 1) }.message shouldContain "heldOutFraction"
  }

  test("the evaluation dataset holds the images and the canonical captions, encoded") {
    val b = pairs.evaluation(tokenizer).batch(intArrayOf(3, 0))
    b.floats(Batch.IMAGE).data.toList() shouldBe listOf(6f, 7f, 0f, 1f)
    val ids = b.ints(CaptionedImages.TOKENS).data
    ids.toList() shouldBe tokenizer.encode(listOf("image 3", "image 0")).tokens.data.toList()
    b.floats(CaptionedImages.MASK).data.toList() shouldBe listOf(1f, 1f, 0f, 0f, 1f, 1f, 0f, 0f)
  }

  test("training captions are drawn per example and epoch, repeatably, and augmented") {
    val ds = pairs.dataset(tokenizer, seed = 3)
    fun epoch(e: Int) = ds.batches(4, shuffle = true, seed = 5, epoch = e).asSequence().flatMap { b ->
      val ex = b.ints(CaptionedImages.EXAMPLE).data
      val t = b.ints(CaptionedImages.TOKENS)
      ex.indices.map { ex[it] to tokenizer.decode(io.github.kontrast.dsl.text.TokenBatch(t, b.floats(CaptionedImages.MASK)), it) }
    }.toList().sortedBy { it.first }
    val e0 = epoch(0)
    epoch(0) shouldBe e0
    e0.forEach { (i, text) -> (text in captions[i]) shouldBe true }
    e0.map { it.second }.toSet().size shouldBe 12
    (epoch(1) != e0) shouldBe true
    // every caption of an image turns up over the epochs
    (0 until 30).flatMap { epoch(it).filter { p -> p.first == 0 }.map { p -> p.second } }.toSet() shouldBe captions[0].toSet()
    val dropped = pairs.dataset(tokenizer, seed = 3, randomCaption = false, text = WordDropout(0.5)).batches(12, false).next()
    val lengths = (0 until 12).map { io.github.kontrast.dsl.text.TokenBatch(dropped.ints(CaptionedImages.TOKENS), dropped.floats(CaptionedImages.MASK)).length(it) }
    lengths.all { it in 1..2 } shouldBe true
    lengths.contains(1) shouldBe true
  }

  test("MNIST captions: a handwritten seven, with variety; the class names are the digit words") {
    MnistCaptions.captions(7).first() shouldBe "a handwritten seven"
    MnistCaptions.captions(7) shouldBe MnistCaptions.TEMPLATES.map { it.replace("{}", "seven") } + MnistCaptions.TEMPLATES.map { it.replace("{}", "7") }
    val digits = LabeledImages(FloatHostArray(FloatArray(3 * 4), intArrayOf(3, 2, 2, 1)), IntHostArray(intArrayOf(7, 0, 7), intArrayOf(3)))
    val p = MnistCaptions.of(digits)
    p.canonicalCaptions shouldBe listOf("a handwritten seven", "a handwritten zero", "a handwritten seven")
    p.classNames[7] shouldBe "seven"
    p.labels.toList() shouldBe listOf(7, 0, 7)
  }

  test("bad input names what is wrong") {
    val img = FloatHostArray(FloatArray(4), intArrayOf(2, 2))
    shouldThrow<IllegalArgumentException> { CaptionedImages(img, listOf(listOf("a")), intArrayOf(0, 0), listOf("x")) }.message shouldContain "one list per image (2), got 1"
    shouldThrow<IllegalArgumentException> { CaptionedImages(img, listOf(listOf("a"), emptyList()), intArrayOf(0, 0), listOf("x")) }.message shouldContain "image 1 has no caption"
    shouldThrow<IllegalArgumentException> { CaptionedImages(img, listOf(listOf("a"), listOf("b")), intArrayOf(0, 1), listOf("x")) }.message shouldContain "label of image 1"
  }
})
