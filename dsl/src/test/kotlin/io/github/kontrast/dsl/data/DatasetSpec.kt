package io.github.kontrast.dsl.data

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe

class DatasetSpec : FunSpec({
  val ds = ArrayDataset(Batch.CLASS to IntHostArray(IntArray(50) { it }, intArrayOf(50)))
  fun epoch(seed: Long, e: Int, dropLast: Boolean = false) =
    ds.batches(8, seed = seed, epoch = e, dropLast = dropLast).asSequence().map { it.ints(Batch.CLASS).data.toList() }.toList()

  test("an epoch is a permutation of every example, in batches of the requested size") {
    val batches = epoch(3, 0)
    batches.map { it.size } shouldBe listOf(8, 8, 8, 8, 8, 8, 2)
    batches.flatten().sorted() shouldBe (0 until 50).toList()
    batches.flatten() shouldNotBe (0 until 50).toList()
  }

  test("shuffling is deterministic in (seed, epoch), so a resumed run sees the same batches") {
    epoch(3, 4) shouldBe epoch(3, 4)
    epoch(3, 4) shouldNotBe epoch(3, 5)
    epoch(3, 4) shouldNotBe epoch(4, 4)
    Dataset.epochOrder(50, true, 3, 4).toList() shouldBe epoch(3, 4).flatten()
  }

  test("dropLast drops the partial batch; no shuffle keeps the order") {
    epoch(3, 0, dropLast = true).map { it.size } shouldBe List(6) { 8 }
    ds.batches(20, shuffle = false).asSequence().map { it.ints(Batch.CLASS).data.first() }.toList() shouldBe listOf(0, 20, 40)
  }

  test("the plain iterator is a closeable BatchIterator") {
    val it = ds.batches(10, shuffle = false)
    it.next().size shouldBe 10
    it.close()
    it.hasNext() shouldBe false
  }
})
