package io.github.kontrast.spark

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.search.HnswVectorIndex
import io.github.kontrast.dsl.search.VectorSimilarity
import org.apache.spark.TaskContext
import org.apache.spark.api.java.function.FlatMapFunction
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.functions
import org.apache.spark.sql.types.DataTypes
import java.io.DataInputStream
import java.io.DataOutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.Properties
import kotlin.io.path.isDirectory
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name

/**
 * One search result across shards: the [id] of the row in the embedded dataset and its [score].
 *
 * @property id the row's id (the embeddings' `id` column).
 * @property score the similarity to the query (cosine or dot product); higher is more similar.
 */
class RowHit(val id: Long, val score: Float) : java.io.Serializable {
  override fun toString() = "RowHit($id, $score)"
  override fun equals(other: Any?) = other is RowHit && other.id == id && other.score == score
  override fun hashCode() = id.hashCode() * 31 + score.hashCode()

  private companion object {
    private const val serialVersionUID = 1L
  }
}

/**
 * Lucene HNSW indexes of embeddings, one shard per Spark partition ([build]), searched together:
 * a query goes to every shard ([HnswVectorIndex], the index semantic search uses), and the best
 * `k` of all shards' answers, by score and then by id, are the result. Each shard is a folder
 * `shard-NNNNN` of [directory] with its Lucene index, the row ids in the order they were added
 * (`ids.bin`) and its settings (`shard.properties`).
 *
 * @property directory the folder holding the shards.
 */
class ShardedVectorIndex private constructor(val directory: Path, private val shards: List<Shard>) : AutoCloseable {
  private class Shard(val index: HnswVectorIndex, val ids: LongArray)

  /** Numbers per vector. */
  val dimension: Int get() = shards.first().index.dimension

  /** How queries are scored. */
  val similarity: VectorSimilarity get() = shards.first().index.similarity

  /** Number of shards. */
  val shardCount: Int get() = shards.size

  /** Number of vectors in all shards. */
  val size: Long get() = shards.sumOf { it.ids.size.toLong() }

  /** The [k] rows most similar to [query] over all shards, most similar first (ties: lower id first). */
  fun search(query: FloatArray, k: Int): List<RowHit> =
    shards.flatMap { s -> s.index.search(query, k).map { RowHit(s.ids[it.id], it.score) } }
      .sortedWith(compareByDescending<RowHit> { it.score }.thenBy { it.id })
      .take(k)

  /** [search] for every row of [queries] (`[N, dimension]`). */
  fun search(queries: FloatHostArray, k: Int): List<List<RowHit>> {
    require(queries.shape.size == 2 && queries.shape[1] == dimension) { "queries must be [N, $dimension], got ${queries.shape.contentToString()}" }
    val d = dimension
    return (0 until queries.rows).map { search(queries.data.copyOfRange(it * d, it * d + d), k) }
  }

  /** Closes every shard; the files stay. */
  override fun close() {
    var first: Throwable? = null
    for (s in shards) {
      try {
        s.index.close()
      } catch (e: Throwable) {
        if (first == null) first = e else first.addSuppressed(e)
      }
    }
    first?.let { throw it }
  }

  override fun toString() = "ShardedVectorIndex($directory: $shardCount shards, $size x $dimension, $similarity)"

  companion object {
    /** The ids file of a shard. */
    const val IDS = "ids.bin"

    /** The settings file of a shard. */
    const val PROPERTIES = "shard.properties"

    /**
     * Builds one HNSW shard per partition of [embeddings] (an `id` long column and an `embedding`
     * array-of-float column, as [SavedModelEmbedder] writes) under [directory], which must be
     * empty or absent and reachable at the same path from the executors and the driver (a shared
     * file system); then opens the shards. A partition without rows makes no shard.
     */
    @JvmStatic
    @JvmOverloads
    fun build(
      embeddings: Dataset<Row>,
      directory: String,
      similarity: VectorSimilarity = VectorSimilarity.COSINE,
      idColumn: String = SavedModelEmbedder.ID,
      embeddingColumn: String = SavedModelEmbedder.EMBEDDING,
    ): ShardedVectorIndex {
      val dir = Paths.get(directory)
      require(!Files.exists(dir) || (dir.isDirectory() && dir.listDirectoryEntries().isEmpty())) { "directory '$directory' must be empty or absent" }
      val columns = embeddings.columns().toList()
      require(idColumn in columns && embeddingColumn in columns) { "embeddings must have columns '$idColumn' and '$embeddingColumn', got $columns" }
      val rows = embeddings.select(functions.col(idColumn).cast(DataTypes.LongType), functions.col(embeddingColumn).cast(DataTypes.createArrayType(DataTypes.FloatType)))
      rows.javaRDD().mapPartitions(BuildShard(directory, similarity)).collect()
      return open(dir)
    }

    /** Opens the shards that [build] wrote in [directory]. */
    @JvmStatic
    fun open(directory: Path): ShardedVectorIndex {
      val folders = if (directory.isDirectory()) directory.listDirectoryEntries("shard-*").filter { it.isDirectory() }.sortedBy { it.name } else emptyList()
      require(folders.isNotEmpty()) { "no shards in '$directory': expected folders shard-NNNNN" }
      val shards = ArrayList<Shard>()
      try {
        for (f in folders) {
          val p = Properties().apply { Files.newInputStream(f.resolve(PROPERTIES)).use { load(it) } }
          val ids = DataInputStream(Files.newInputStream(f.resolve(IDS)).buffered()).use { input -> LongArray(input.readInt()) { input.readLong() } }
          val index = HnswVectorIndex(f, p.getProperty("dimension").toInt(), VectorSimilarity.valueOf(p.getProperty("similarity")))
          shards.add(Shard(index, ids))
          check(index.size == ids.size) { "shard $f holds ${index.size} vectors but ${ids.size} ids" }
        }
        val dims = shards.map { it.index.dimension to it.index.similarity }.toSet()
        require(dims.size == 1) { "the shards in '$directory' differ in dimension or similarity: $dims" }
      } catch (e: Throwable) {
        shards.forEach { runCatching { it.index.close() } }
        throw e
      }
      return ShardedVectorIndex(directory, shards)
    }
  }
}

/** Writes one partition's shard; returns its folder's name. */
private class BuildShard(private val directory: String, private val similarity: VectorSimilarity) : FlatMapFunction<Iterator<Row>, String> {
  override fun call(rows: Iterator<Row>): Iterator<String> {
    if (!rows.hasNext()) return emptyList<String>().iterator()
    val partition = TaskContext.getPartitionId()
    val folder = Paths.get(directory, String.format(java.util.Locale.ROOT, "shard-%05d", partition))
    // a retried task starts its shard again
    if (Files.exists(folder)) folder.toFile().deleteRecursively()
    val ids = ArrayList<Long>()
    var dimension = -1
    var index: HnswVectorIndex? = null
    try {
      val chunk = ArrayList<FloatArray>(CHUNK)
      fun flush() {
        if (chunk.isEmpty()) return
        val data = FloatArray(chunk.size * dimension)
        chunk.forEachIndexed { i, v -> System.arraycopy(v, 0, data, i * dimension, dimension) }
        val target = index ?: HnswVectorIndex(folder, dimension, similarity).also { index = it }
        target.add(FloatHostArray(data, intArrayOf(chunk.size, dimension)))
        chunk.clear()
      }
      while (rows.hasNext()) {
        val row = rows.next()
        val v = row.getList<Float>(1).toFloatArray()
        if (dimension < 0) dimension = v.size
        require(v.size == dimension) { "row ${row.getLong(0)}: the embedding has ${v.size} values, the partition's first has $dimension" }
        chunk.add(v)
        ids.add(row.getLong(0))
        if (chunk.size == CHUNK) flush()
      }
      flush()
    } finally {
      index?.close()
    }
    DataOutputStream(Files.newOutputStream(folder.resolve(ShardedVectorIndex.IDS)).buffered()).use { out ->
      out.writeInt(ids.size)
      ids.forEach { out.writeLong(it) }
    }
    Properties().apply {
      setProperty("dimension", dimension.toString())
      setProperty("similarity", similarity.name)
      setProperty("count", ids.size.toString())
      Files.newOutputStream(folder.resolve(ShardedVectorIndex.PROPERTIES)).use { store(it, "a Kontrast HNSW shard") }
    }
    return listOf(folder.name).iterator()
  }

  private companion object {
    private const val serialVersionUID = 1L

    /** Vectors per add (one Lucene commit each). */
    private const val CHUNK = 4096
  }
}
