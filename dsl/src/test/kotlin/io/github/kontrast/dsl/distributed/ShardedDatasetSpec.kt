package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.augment.Augmentations
import io.github.kontrast.dsl.augment.views
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.ArrayDataset
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

class ShardedDatasetSpec : FunSpec({
  fun images(n: Int): ArrayDataset {
    val r = SplittableRandom(4)
    return ArrayDataset(
      Batch.IMAGE to FloatHostArray(FloatArray(n * 28 * 28) { r.nextFloat() }, intArrayOf(n, 28, 28, 1)),
      Batch.CLASS to IntHostArray(IntArray(n) { it }, intArrayOf(n)),
    )
  }

  /** Every batch of an epoch, its arrays as lists. */
  fun epoch(d: Dataset, batchSize: Int, epoch: Int): List<Map<String, List<Number>>> =
    d.batches(batchSize, true, 11L, epoch, false).use { it.asSequence().map { b -> b.arrays.mapValues { (_, a) -> values(a) } }.toList() }

  test("two workers' slices of every global batch are, in rank order, the batch one process trains on: indices and augmented views, every epoch") {
    val source = images(24).views(Augmentations.digits(), seed = 5)
    for (e in 0..1) {
      val single = epoch(source, 8, e)
      val shards = (0..1).map { epoch(ShardedDataset(source, 2, it), 4, e) }
      single.size shouldBe 3
      shards.forEach { it.size shouldBe 3 }
      single.forEachIndexed { b, whole ->
        for (key in whole.keys) {
          val perExample = whole.getValue(key).size / 8
          val joined = shards[0][b].getValue(key) + shards[1][b].getValue(key)
          joined shouldBe whole.getValue(key)
          shards[0][b].getValue(key).size shouldBe 4 * perExample
        }
      }
    }
    // the views differ between epochs, so the check above compared something epoch-specific
    (epoch(source, 8, 0)[0][Batch.VIEW1] == epoch(source, 8, 1)[0][Batch.VIEW1]) shouldBe false
  }

  test("an incomplete last global batch is dropped on every worker") {
    val d = images(20)
    (0..2).map { epoch(ShardedDataset(d, 3, it), 2, 0).size } shouldBe listOf(3, 3, 3)
  }

  test("bad cluster specs and ranks are refused, naming the argument") {
    shouldThrow<IllegalArgumentException> { ClusterSpec(listOf("localhost:1", "localhost:2"), 2) }.message shouldContain "rank"
    shouldThrow<IllegalArgumentException> { ClusterSpec(listOf("localhost"), 0) }.message shouldContain "host:port"
    shouldThrow<IllegalArgumentException> { ClusterSpec(listOf("a:1", "a:1"), 0) }.message shouldContain "distinct"
    shouldThrow<IllegalArgumentException> { ShardedDataset(images(4), 2, 2) }.message shouldContain "rank"
    shouldThrow<IllegalArgumentException> { ShardedDataset(images(4), 2, 0).batches(4, true, 1L, 0, false) }.message shouldContain "batchSize"
  }
})

private fun values(a: io.github.kontrast.dsl.data.HostArray): List<Number> = when (a) {
  is FloatHostArray -> a.data.toList()
  is IntHostArray -> a.data.toList()
  else -> error("unexpected array ${a.javaClass}")
}
