package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs

class PairsSpec : FunSpec({
  // image i is 2x2 pixels all equal to i, so a batch shows which images a pair holds
  val n = 300
  val labels = IntArray(n) { (it * 7) % 10 }
  val images = LabeledImages(FloatHostArray(FloatArray(n * 4) { (it / 4).toFloat() }, intArrayOf(n, 2, 2, 1)), IntHostArray(labels, intArrayOf(n)))

  test("two pairs per image: one positive of its class, one negative of another class") {
    val pairs = PairDataset.generate(images, seed = 1)
    pairs.size shouldBe 2 * n
    val perImage = (0 until pairs.size).groupBy { pairs.first(it) }
    perImage.keys shouldBe (0 until n).toSet()
    perImage.values.forEach { ps ->
      ps.size shouldBe 2
      ps.map { pairs.isSimilar(it) }.sorted() shouldBe listOf(false, true)
    }
  }

  test("batch labels are 1 exactly when both images have one class, and exactly half are 1") {
    val pairs = images.pairs(seed = 2)
    val b = pairs.batch(IntArray(pairs.size) { it })
    b.floats(Batch.FIRST).shape.toList() shouldBe listOf(2 * n, 2, 2, 1)
    b.floats(Batch.LABEL).shape.toList() shouldBe listOf(2 * n)
    val first = b.floats(Batch.FIRST).data
    val second = b.floats(Batch.SECOND).data
    val y = b.floats(Batch.LABEL).data
    for (p in 0 until pairs.size) {
      val i = first[4 * p].toInt()
      val j = second[4 * p].toInt()
      i shouldBe pairs.first(p)
      j shouldBe pairs.second(p)
      y[p] shouldBe if (labels[i] == labels[j]) 1f else 0f
    }
    y.count { it == 1f } shouldBe n
  }

  test("pairs are shuffled (not positive, negative, positive...), seeded and repeatable") {
    val a = PairDataset.generate(images, seed = 3)
    val firsts = (0 until a.size).map { a.first(it) }
    firsts shouldNotBe (0 until a.size).map { it / 2 }
    val b = PairDataset.generate(images, seed = 3)
    (0 until a.size).map { a.first(it) to a.second(it) } shouldBe (0 until b.size).map { b.first(it) to b.second(it) }
    val c = PairDataset.generate(images, seed = 4)
    (0 until a.size).map { a.first(it) to a.second(it) } shouldNotBe (0 until c.size).map { c.first(it) to c.second(it) }
    // partners are drawn uniformly from the class: 30 draws into a class of 30 reach 1 - (29/30)^30 = 64% of
    // its images (sd 1.8% over the 10 classes); a partner fixed per class would reach 3%
    val big = PairDataset.generate(images, seed = 5)
    val partners = (0 until big.size).filter { big.isSimilar(it) }.map { big.second(it) }.toSet()
    abs(partners.size.toDouble() / n - (1 - Math.pow(1 - 1.0 / 30, 30.0))) shouldBeLessThan 0.09
  }

  test("the positive partner may be the image itself, as np.random.choice over the whole class draws it") {
    // 100 classes of two images, and one image alone in its class. Document 001 draws j from
    // np.where(labels == label), i itself included: each two-image class gives a self-pair with
    // probability 1/2, so the 200 draws give Binomial(200, 1/2) self-pairs (mean 100, sd 7.1);
    // a rule that excluded the image would give 0, one that always took it 200. The lone image
    // can only be paired with itself.
    val m = 201
    val twoPerClass = IntArray(m) { if (it < 200) it / 2 else 999 }
    val small = LabeledImages(FloatHostArray(FloatArray(m) { it.toFloat() }, intArrayOf(m, 1)), IntHostArray(twoPerClass, intArrayOf(m)))
    for (seed in 1L..3L) {
      val pairs = PairDataset.generate(small, seed)
      val positives = (0 until pairs.size).filter { pairs.isSimilar(it) }
      positives.size shouldBe m
      val selfPairs = positives.filter { pairs.first(it) == pairs.second(it) }
      withClue("seed $seed: ${selfPairs.size} self-pairs") {
        (selfPairs.size - 1) shouldBeInRange (100 - 35)..(100 + 35) // 5 sd
        selfPairs.map { pairs.first(it) } shouldContain 200
      }
      // negatives never pair an image with itself
      (0 until pairs.size).filter { !pairs.isSimilar(it) }.none { pairs.first(it) == pairs.second(it) } shouldBe true
    }
  }

  test("triplets: anchor and positive share a class (different images), the negative does not") {
    val t = images.triplets(seed = 6)
    t.size shouldBe n
    (0 until n).map { t.triplet(it).first }.sorted() shouldBe (0 until n).toList()
    for (k in 0 until n) {
      val (a, p, q) = t.triplet(k)
      labels[p] shouldBe labels[a]
      p shouldNotBe a
      labels[q] shouldNotBe labels[a]
    }
    val b = t.batch(intArrayOf(0, 1))
    b.floats(Batch.ANCHOR).data[4] shouldBe t.triplet(1).first.toFloat()
    b.floats(Batch.NEGATIVE).shape.toList() shouldBe listOf(2, 2, 2, 1)
  }

  test("a single class cannot give negatives, and the message says so") {
    val one = LabeledImages(FloatHostArray(FloatArray(3), intArrayOf(3, 1)), IntHostArray(intArrayOf(4, 4, 4), intArrayOf(3)))
    shouldThrow<IllegalArgumentException> { one.pairs() }.message shouldContain "at least 2 classes"
  }
})
