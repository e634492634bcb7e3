package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.util.SplittableRandom

class VectorIndexSpec : FunSpec({
  fun rows(vararg r: FloatArray) = FloatHostArray(r.flatMap { it.toList() }.toFloatArray(), intArrayOf(r.size, r[0].size))

  fun random(n: Int, d: Int, seed: Long, unit: Boolean = false): FloatHostArray {
    val r = SplittableRandom(seed)
    val data = FloatArray(n * d) { (r.nextDouble() * 2 - 1).toFloat() }
    if (unit) for (i in 0 until n) {
      val norm = Math.sqrt((0 until d).sumOf { data[i * d + it].toDouble() * data[i * d + it] }).toFloat()
      for (j in 0 until d) data[i * d + j] /= norm
    }
    return FloatHostArray(data, intArrayOf(n, d))
  }

  test("exact search: cosine ignores length, dot product does not; most similar first, ties to the lower id") {
    val v = rows(floatArrayOf(1f, 0f), floatArrayOf(10f, 1f), floatArrayOf(0f, 1f), floatArrayOf(2f, 0f))
    ExactVectorIndex(2).use { idx ->
      idx.add(v)
      val hits = idx.search(floatArrayOf(1f, 0f), 3)
      hits.map { it.id } shouldBe listOf(0, 3, 1) // cos 1, 1 (tie: lower id first), 10 / sqrt(101)
      hits[2].score shouldBe ((10 / Math.sqrt(101.0)).toFloat() plusOrMinus 1e-6f)
      idx.search(floatArrayOf(0f, -1f), 10).size shouldBe 4
    }
    ExactVectorIndex(2, VectorSimilarity.DOT_PRODUCT).use { idx ->
      idx.add(v)
      idx.search(floatArrayOf(1f, 0f), 2).map { it.id to it.score } shouldBe listOf(1 to 10f, 3 to 2f)
      idx.add(rows(floatArrayOf(20f, 0f)))
      idx.search(floatArrayOf(1f, 0f), 1).single() shouldBe SearchHit(4, 20f)
    }
  }

  test("bad vectors and queries are refused with what was expected") {
    ExactVectorIndex(3).use { idx ->
      shouldThrow<IllegalArgumentException> { idx.add(FloatHostArray(FloatArray(4), intArrayOf(2, 2))) }.message shouldContain "[N, 3]"
      shouldThrow<IllegalArgumentException> { idx.add(rows(floatArrayOf(0f, 0f, 0f))) }.message shouldContain "zero vector"
      shouldThrow<IllegalArgumentException> { idx.add(rows(floatArrayOf(1f, Float.NaN, 0f))) }.message shouldContain "element 1"
      shouldThrow<IllegalArgumentException> { idx.search(floatArrayOf(1f, 0f), 1) }.message shouldContain "3 values"
      shouldThrow<IllegalArgumentException> { idx.search(floatArrayOf(1f, 0f, 0f), 0) }.message shouldContain "k must be >= 1"
    }
  }

  test("Lucene's HNSW index gives the exact index's top 10 on 500 vectors, cosine and dot product") {
    for (similarity in VectorSimilarity.values()) {
      val unit = similarity == VectorSimilarity.DOT_PRODUCT
      val data = random(500, 16, 1, unit)
      val queries = random(40, 16, 2, unit)
      val dir = Files.createTempDirectory("hnsw")
      HnswVectorIndex(dir, 16, similarity).use { hnsw ->
        ExactVectorIndex(16, similarity).use { exact ->
          hnsw.add(data)
          exact.add(data)
          hnsw.size shouldBe 500
          val a = hnsw.search(queries, 10)
          val b = exact.search(queries, 10)
          a.map { hits -> hits.map { it.id } } shouldBe b.map { hits -> hits.map { it.id } }
          a.flatten().zip(b.flatten()).forEach { (x, y) -> x.score shouldBe (y.score plusOrMinus 1e-5f) }
        }
      }
    }
  }

  test("the HNSW index persists: reopened it has its vectors and answers the same; new ids follow; a wrong dimension is refused") {
    val dir = Files.createTempDirectory("hnsw-persist")
    val data = random(200, 8, 3)
    val q = random(1, 8, 4).data
    val before = HnswVectorIndex(dir, 8).use { it.add(data); it.search(q, 5) }
    Files.list(dir).use { files -> (files.count() > 0) shouldBe true }
    HnswVectorIndex(dir, 8).use { idx ->
      idx.size shouldBe 200
      idx.search(q, 5) shouldBe before
      idx.add(FloatHostArray(q, intArrayOf(1, 8)))
      idx.search(q, 1).single().id shouldBe 200
    }
    shouldThrow<IllegalArgumentException> { HnswVectorIndex(dir, 9) }.message shouldContain "dimension 8"
    shouldThrow<IllegalArgumentException> { HnswVectorIndex(Files.createTempDirectory("dot"), 2, VectorSimilarity.DOT_PRODUCT).use { it.add(rows(floatArrayOf(3f, 4f))) } }
      .message shouldContain "unit vectors"
  }

  test("VectorIndexes.of: exact in memory for small sets, Lucene on disk past the limit") {
    val data = random(30, 4, 5)
    VectorIndexes.of(data).use { (it is ExactVectorIndex) shouldBe true; it.size shouldBe 30 }
    val dir = Files.createTempDirectory("auto")
    VectorIndexes.of(data, directory = dir, exactLimit = 10).use { (it is HnswVectorIndex) shouldBe true; it.size shouldBe 30 }
    shouldThrow<IllegalArgumentException> { VectorIndexes.of(data, exactLimit = 10) }.message shouldContain "give a directory"
  }
})
