package io.github.kontrast.spark

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Mnist
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.search.ExactVectorIndex
import io.github.kontrast.dsl.siamese
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import kotlin.math.abs

/**
 * Section 3 on MNIST (the subset shipped in dsl's jar): an exported encoder embeds 3,000 training
 * images in 4 partitions on the local-cluster executors, to Parquet; 3 HNSW shards are built from
 * the Parquet, and their merged top 10 is compared with one exact search over the embeddings the
 * model itself computes on the driver, for 100 test images as queries.
 */
class EmbeddingIndexSpec : FunSpec({
  val dir = tempdir().toPath()
  val mnist = Mnist.loadSubset()
  val train = mnist.train.take(3000).images
  val queries = mnist.test.take(100).images
  val modelDir = dir.resolve("encoder")
  // an untrained conv encoder (seeded): its embeddings are what the test compares, not its quality
  val expected: FloatHostArray
  val expectedQueries: FloatHostArray
  siamese {
    seed = 11
    input(28, 28, 1)
    encoder { conv2d(4, 5, activation = relu); maxPool(2); flatten(); dense(16) }
    verbosity = Verbosity.SILENT
  }.use { m ->
    m.export(modelDir)
    expected = m.embed(train, 256)
    expectedQueries = m.embed(queries, 100)
  }
  val session = LocalCluster.session
  val parquet = dir.resolve("embeddings.parquet").toString()

  test("the executors embed the images partition by partition to Parquet, as the model does on the driver") {
    val frame = ImageFrames.of(session, train, partitions = 4)
    frame.javaRDD().getNumPartitions() shouldBe 4
    SavedModelEmbedder(modelDir.toString(), batchSize = 128).embedToParquet(frame, parquet)
    val rows = session.read().parquet(parquet).collectAsList().sortedBy { it.getLong(0) }
    rows.map { it.getLong(0) } shouldBe (0L until 3000L).toList()
    var worst = 0.0
    for ((r, row) in rows.withIndex()) {
      val v = row.getList<Float>(1)
      v.size shouldBe 16
      for (j in 0 until 16) worst = maxOf(worst, abs(v[j] - expected.data[r * 16 + j]).toDouble())
    }
    worst shouldBeLessThan 1e-5
  }

  test("three HNSW shards built from the Parquet, searched together, give the exact search's top 10 for 100 MNIST test queries") {
    val embeddings = session.read().parquet(parquet).repartition(3)
    ShardedVectorIndex.build(embeddings, dir.resolve("index").toString()).use { sharded ->
      sharded.shardCount shouldBe 3
      sharded.size shouldBe 3000L
      val exact = ExactVectorIndex(16).apply { add(expected) }
      val got = sharded.search(expectedQueries, 10)
      val want = exact.search(expectedQueries, 10)
      for (q in 0 until 100) {
        got[q].map { it.id } shouldBe want[q].map { it.id.toLong() }
        for (i in 0 until 10) abs(got[q][i].score - want[q][i].score).toDouble() shouldBeLessThan 1e-5
      }
    }
  }

  test("the EmbedAndIndex application: images from Parquet to embeddings and 2 shards, the same as the steps above") {
    val images = dir.resolve("images.parquet").toString()
    ImageFrames.of(session, train.gather(IntArray(500) { it }), partitions = 2).write().parquet(images)
    val args = arrayOf("--model", modelDir.toString(), "--images", images, "--embeddings", dir.resolve("app-embeddings").toString(),
      "--index", dir.resolve("app-index").toString(), "--shards", "2")
    EmbedAndIndex.run(session, EmbedAndIndex.parse(args))!!.use { index ->
      index.shardCount shouldBe 2
      index.size shouldBe 500L
      // query with image 7's own embedding: it is its own nearest neighbour
      val hit = index.search(expected.data.copyOfRange(7 * 16, 8 * 16), 1).single()
      hit.id shouldBe 7L
      hit.score.toDouble() shouldBe (1.0 plusOrMinus 1e-5)
    }
    shouldThrow<IllegalArgumentException> { EmbedAndIndex.parse(arrayOf("--model", "m", "--images", "i")) }.message shouldContain "--embeddings is missing"
    shouldThrow<IllegalArgumentException> { EmbedAndIndex.parse(args + arrayOf("--shard", "3")) }.message shouldContain "unknown option '--shard'"
    shouldThrow<IllegalArgumentException> { EmbedAndIndex.parse(args + arrayOf("--similarity", "l2")) }.message shouldContain "must be cosine or dot_product, got 'l2'"
  }

  test("bad input is named: a missing column, an image of the wrong size, a folder that is not empty") {
    val frame = ImageFrames.of(session, train.gather(IntArray(4) { it }), partitions = 1)
    shouldThrow<IllegalArgumentException> { SavedModelEmbedder(modelDir.toString()).embed(frame, imageColumn = "pixels") }
      .message shouldContain "imageColumn 'pixels' is not a column"
    val small = ImageFrames.of(session, FloatHostArray(FloatArray(2 * 10), intArrayOf(2, 10)), partitions = 1)
    val e = shouldThrow<Exception> { SavedModelEmbedder(modelDir.toString()).embed(small).collectAsList() }
    generateSequence<Throwable>(e) { it.cause }.any { it.message?.contains("the image has 10 values, the model takes 784") == true } shouldBe true
    val full = dir.resolve("not-empty").also { Files.createDirectories(it.resolve("x")) }
    shouldThrow<IllegalArgumentException> { ShardedVectorIndex.build(session.read().parquet(parquet), full.toString()) }.message shouldContain "must be empty or absent"
  }
})
