package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.clip
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.layers.Padding
import io.github.kontrast.dsl.layers.maskedMeanPooling
import io.github.kontrast.dsl.optim.adam
import io.github.kontrast.dsl.pipeline.ClipData
import io.github.kontrast.dsl.text.LocalShuffle
import io.github.kontrast.dsl.text.SynonymReplacement
import io.github.kontrast.dsl.text.TextAugmentation
import io.github.kontrast.dsl.text.Thesaurus
import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.dsl.text.WordDropout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain

/** Both sides of an image-caption pair augmented, seeded per (seed, epoch, example); the CLIP pipeline trains on it. */
class MultimodalAugmentationSpec : FunSpec({
  val pairs = ClipData.pairs(48, 3) // 8x8 RGB, captions "a red patch at the top left", ...
  val tokenizer = Tokenizer.fit(pairs.allCaptions, maxLength = 8)
  val recipe = multimodalAugmentation {
    image { randomResizedCrop(8, scale = 0.5..1.0); colorJitter(brightness = 0.3, contrast = 0.3, p = 0.8) }
    wordDropout(0.2)
    localShuffle(3)
  }

  /** Every example's (image, tokens) of one epoch, by example index, read through batches of [batchSize]. */
  fun byExample(ds: MultimodalDataset, batchSize: Int, shuffle: Boolean, epoch: Int): Map<Int, Pair<List<Float>, List<Int>>> {
    val out = HashMap<Int, Pair<List<Float>, List<Int>>>()
    ds.batches(batchSize, shuffle, seed = 77, epoch = epoch).use { it ->
      for (b in it) {
        val ids = b.ints(CaptionedImages.EXAMPLE).data
        val images = b.floats(Batch.IMAGE).data
        val tokens = b.ints(CaptionedImages.TOKENS).data
        val len = 8 * 8 * 3
        ids.forEachIndexed { k, id -> out[id] = images.copyOfRange(k * len, (k + 1) * len).toList() to tokens.copyOfRange(k * 8, (k + 1) * 8).toList() }
      }
    }
    return out
  }

  test("a batch holds the augmented images, the tokens and mask of the augmented captions, and each example's index") {
    val ds = pairs.augmented(tokenizer, recipe, seed = 5)
    val b = ds.batch(intArrayOf(7, 2, 30))
    b.arrays.keys shouldContainExactly setOf(Batch.IMAGE, CaptionedImages.TOKENS, CaptionedImages.MASK, CaptionedImages.EXAMPLE)
    b.floats(Batch.IMAGE).shape.toList() shouldBe listOf(3, 8, 8, 3)
    b.ints(CaptionedImages.TOKENS).shape.toList() shouldBe listOf(3, 8)
    b.floats(CaptionedImages.MASK).shape.toList() shouldBe listOf(3, 8)
    b.ints(CaptionedImages.EXAMPLE).data.toList() shouldBe listOf(7, 2, 30)
    ds.imageShape shouldBe ImageShape(8, 8, 3)
  }

  test("an example's pair depends only on (seed, epoch, example): not on batch size, shuffling, prefetching or workers") {
    val ds = pairs.augmented(tokenizer, recipe, seed = 5)
    val reference = byExample(ds.withPrefetch(0), 48, shuffle = false, epoch = 1)
    reference.size shouldBe 48
    byExample(ds, 7, shuffle = true, epoch = 1) shouldBe reference
    byExample(ds.withWorkers(3).withPrefetch(1), 16, shuffle = true, epoch = 1) shouldBe reference
    // random access gives the same pairs
    val b = ds.batch(intArrayOf(11, 40), epoch = 1)
    b.floats(Batch.IMAGE).data.copyOfRange(0, 192).toList() shouldBe reference.getValue(11).first
    b.ints(CaptionedImages.TOKENS).data.copyOfRange(8, 16).toList() shouldBe reference.getValue(40).second
    // a rebuilt dataset with the same seed repeats them; another epoch or seed draws others
    byExample(pairs.augmented(tokenizer, recipe, seed = 5), 5, shuffle = true, epoch = 1) shouldBe reference
    val otherEpoch = byExample(ds, 48, shuffle = false, epoch = 2)
    val otherSeed = byExample(pairs.augmented(tokenizer, recipe, seed = 6), 48, shuffle = false, epoch = 1)
    (0 until 48).count { otherEpoch.getValue(it).first != reference.getValue(it).first } shouldBeGreaterThan 40
    (0 until 48).count { otherSeed.getValue(it).first != reference.getValue(it).first } shouldBeGreaterThan 40
    (0 until 48).count { otherEpoch.getValue(it).second != reference.getValue(it).second } shouldBeGreaterThan 20
  }

  test("the image side draws from its own stream: a different text recipe leaves the images as they were, and the image side is Augmentation's view 0") {
    val other = recipe.withText(SynonymReplacement(Thesaurus.of(listOf("red|crimson")), 1.0))
    val a = pairs.augmented(tokenizer, recipe, seed = 5).batch(intArrayOf(0, 1, 2, 3), epoch = 3)
    val b = pairs.augmented(tokenizer, other, seed = 5).batch(intArrayOf(0, 1, 2, 3), epoch = 3)
    a.floats(Batch.IMAGE).data.toList() shouldBe b.floats(Batch.IMAGE).data.toList()
    val direct = recipe.image.applyTo(pairs.images.gather(intArrayOf(0, 1, 2, 3)), 5L, 3, intArrayOf(0, 1, 2, 3), view = 0)
    a.floats(Batch.IMAGE).data.toList() shouldBe direct.data.toList()
  }

  test("probability 0 on both sides: the pairs come back untouched, the canonical captions encoded as the tokenizer does") {
    val none = multimodalAugmentation {
      image { horizontalFlip(0.0); colorJitter(brightness = 0.5, p = 0.0) }
      wordDropout(0.0)
      synonyms(Thesaurus.of(listOf("red|crimson", "patch|spot")), 0.0)
    }
    val all = IntArray(48) { it }
    val b = pairs.augmented(tokenizer, none, seed = 1, randomCaption = false).batch(all, epoch = 4)
    b.floats(Batch.IMAGE).data.toList() shouldBe pairs.images.data.toList()
    val expected = tokenizer.encode(pairs.canonicalCaptions)
    b.ints(CaptionedImages.TOKENS).data.toList() shouldBe expected.tokens.data.toList()
    b.floats(CaptionedImages.MASK).data.toList() shouldBe expected.mask.data.toList()
  }

  test("probability 1 on both sides: every image mirrored, every word with a synonym replaced") {
    val always = multimodalAugmentation {
      image { horizontalFlip(1.0) }
      // one synonym each, so the replacement is known; "green" has none and must stay
      synonyms(Thesaurus.of(listOf("red|crimson", "patch|spot", "top|upper")), 1.0)
    }
    val words = listOf(listOf("a", "red", "patch", "at", "the", "top", "left"), listOf("green", "in", "the", "top", "right"))
    val images = pairs.images.gather(intArrayOf(0, 1))
    val out = always.applyTo(images, words, seed = 9, epoch = 0, examples = intArrayOf(0, 1))
    out.words shouldBe listOf(listOf("a", "crimson", "spot", "at", "the", "upper", "left"), listOf("green", "in", "the", "upper", "right"))
    // mirrored by hand: pixel (y, x) of the result is pixel (y, 7 - x) of the source
    for (k in 0 until 2) for (y in 0 until 8) for (x in 0 until 8) for (c in 0 until 3) {
      out.images.data[((k * 8 + y) * 8 + x) * 3 + c] shouldBe images.data[((k * 8 + y) * 8 + (7 - x)) * 3 + c]
    }
  }

  test("both sides are applied at their rates: over 400 pairs about 30% of words dropped and every image changed") {
    val n = 400
    val aug = multimodalAugmentation { image { randomResizedCrop(8, scale = 0.3..0.9) }; wordDropout(0.3) }
    val words = List(n) { i -> List(10) { "w$it" } }
    val images = FloatHostArray(FloatArray(n * 8 * 8 * 3) { (it % 97) / 97f }, intArrayOf(n, 8, 8, 3))
    val out = aug.applyTo(images, words, seed = 3, epoch = 2)
    val kept = out.words.sumOf { it.size }.toDouble() / (10 * n)
    kept shouldBe (0.7 plusOrMinus 0.03) // binomial sd of 4,000 draws at 0.7: 0.007
    out.words.forEach { w -> w shouldBe w.sortedBy { it.removePrefix("w").toInt() } } // dropout keeps the order
    val len = 8 * 8 * 3
    (0 until n).count { k -> !out.images.data.copyOfRange(k * len, (k + 1) * len).contentEquals(images.data.copyOfRange(k * len, (k + 1) * len)) } shouldBe n
  }

  test("one pair at a time gives what the batch gives") {
    val words = pairs.canonicalCaptions.take(4).map { tokenizer.split(it) }
    val batch = recipe.applyTo(pairs.images.gather(intArrayOf(4, 5, 6, 7)), words, seed = 2, epoch = 1, examples = intArrayOf(4, 5, 6, 7))
    for (k in 0 until 4) {
      val one = recipe.apply(HostImage.of(pairs.images, 4 + k), words[k], seed = 2, epoch = 1, example = 4 + k)
      one.image.data.toList() shouldBe batch.images.data.copyOfRange(k * 192, (k + 1) * 192).toList()
      one.words shouldBe batch.words[k]
    }
  }

  test("the Kotlin block and Java's builder make the same augmentation") {
    val java = JavaMultimodalUsage.build()
    val kotlin = multimodalAugmentation { image { horizontalFlip(0.5) }; wordDropout(0.1); localShuffle(3) }
    kotlin.toString() shouldBe "MultimodalAugmentation(image=Augmentation(HorizontalFlip(p=0.5)), text=WordDropout(0.1) + LocalShuffle(3))"
    java.toString() shouldBe kotlin.toString()
    val words = List(48) { tokenizer.split(pairs.caption(it)) }
    val a = java.applyTo(pairs.images, words, seed = 4, epoch = 1)
    val b = kotlin.applyTo(pairs.images, words, seed = 4, epoch = 1)
    a.images.data.toList() shouldBe b.images.data.toList()
    a.words shouldBe b.words
    MultimodalAugmentation().toString() shouldBe "MultimodalAugmentation(image=Augmentation(), text=identity)"
  }

  test("bad arguments fail, naming the argument, what was expected and what came") {
    val images = pairs.images.gather(intArrayOf(0, 1))
    shouldThrow<IllegalArgumentException> { recipe.applyTo(images, listOf(listOf("a")), seed = 1) }.message shouldBe
      "words must hold one caption per image (2), got 1"
    shouldThrow<IllegalArgumentException> { recipe.applyTo(images, listOf(listOf("a"), listOf("b")), seed = 1, examples = intArrayOf(0)) }.message shouldBe
      "examples must have one index per image (2), got 1"
    shouldThrow<IllegalArgumentException> { recipe.applyTo(images, listOf(listOf("a"), listOf("b")), seed = 1, epoch = -1) }.message shouldBe
      "epoch must be >= 0, got -1"
    shouldThrow<IllegalArgumentException> { recipe.applyTo(images, listOf(listOf("a"), listOf("b")), seed = 1, examples = intArrayOf(0, -3)) }.message shouldBe
      "examples[1] must be >= 0, got -3"
    shouldThrow<IllegalArgumentException> { recipe.apply(HostImage.of(images, 0), listOf("a"), seed = 1, epoch = 0, example = -1) }.message shouldBe
      "example must be >= 0, got -1"
    val wrongChannels = multimodalAugmentation { image { normalize(0.5f, 0.5f) } } // one mean for three channels
    val e = shouldThrow<IllegalArgumentException> { pairs.augmented(tokenizer, wrongChannels) }
    e.message shouldContain "augmentation: its image side cannot take the source's [8, 8, 3] images"
    e.message shouldContain "Normalize has 1 means and stds but the image has 3 channel(s)"
    val ds = pairs.augmented(tokenizer, recipe)
    shouldThrow<IllegalArgumentException> { ds.withWorkers(0) }.message shouldBe "workers must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { ds.withPrefetch(-1) }.message shouldBe "prefetch must be >= 0, got -1"
    shouldThrow<IllegalArgumentException> { ds.batch(intArrayOf(3, 48)) }.message shouldBe "indices[1] must be in 0 until 48, got 48"
    shouldThrow<IllegalArgumentException> { ds.batch(intArrayOf(3), epoch = -2) }.message shouldBe "epoch must be >= 0, got -2"
    shouldThrow<IllegalArgumentException> { ds.batches(0) }.message shouldBe "batchSize must be > 0, got 0"
    // the text steps' own checks still name their argument
    shouldThrow<IllegalArgumentException> { multimodalAugmentation { wordDropout(1.0) } }.message shouldBe "word dropout p must be in [0, 1), got 1.0"
    shouldThrow<IllegalArgumentException> { multimodalAugmentation { localShuffle(0) } }.message shouldBe "shuffle window must be >= 1, got 0"
  }

  test("a CLIP model trains on the augmented pairs: recall on clean held-out pairs far above chance") {
    val train = ClipData.pairs(128, 1)
    val words = Tokenizer.fit(train.allCaptions, maxLength = 8)
    // no crop and no flip: the captions name the patch's place; brightness and contrast keep the colour's hue
    val aug = multimodalAugmentation { image { colorJitter(brightness = 0.2, contrast = 0.2, p = 0.8) }; wordDropout(0.1) }
    clip {
      seed = 5
      verbosity = Verbosity.SILENT
      image {
        input(8, 8, 3)
        encoder { conv2d(16, 3, activation = relu, padding = Padding.SAME); maxPool(2); flatten(); dense(32, activation = relu) }
        projection(16)
      }
      text {
        this.tokenizer = words
        encoder { embedding(vocabularySize, 16); maskedMeanPooling() }
        projection(16)
      }
      optimizer = adam(3e-3)
    }.use { m ->
      val h = m.fit(train.augmented(words, aug, seed = 2), epochs = 12, batchSize = 32)
      (h["loss"].first() - h["loss"].last()) shouldBeGreaterThan 1.0
      val r = m.retrieval(ClipData.pairs(64, 9), intArrayOf(1))
      println("MultimodalAugmentationSpec recall: $r")
      r.textToImage.getValue(1) shouldBeGreaterThan 0.5 // chance 4 / 64
      r.imageToText.getValue(1) shouldBeGreaterThan 0.5 // chance 1 / 16
    }
  }
})
