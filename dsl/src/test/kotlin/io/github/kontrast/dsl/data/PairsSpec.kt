package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
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
    // the positive partner is drawn from the whole class, itself included, like np.random.choice
    val big = PairDataset.generate(images, seed = 5)
    val partners = (0 until big.size).filter { big.isSimilar(it) }.map { big.second(it) }.toSet()
    abs(partners.size.toDouble() / n - (1 - Math.pow(1 - 1.0 / 30, 30.0))) shouldBeLessThan 0.1 // ~64% of images get drawn
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
