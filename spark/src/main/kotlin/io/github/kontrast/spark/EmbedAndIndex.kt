package io.github.kontrast.spark

import io.github.kontrast.dsl.search.VectorSimilarity
import org.apache.spark.sql.SparkSession

/**
 * The embedding job as a Spark application:
 * `spark-submit --class io.github.kontrast.spark.EmbedAndIndex APP.jar --model DIR --images PATH --embeddings PATH [--index DIR] [--shards N] [--batch N] [--similarity cosine|dot_product]`.
 * Reads Parquet images (`id`, `image`), writes Parquet embeddings (`id`, `embedding`) with the
 * exported encoder in `--model`, and, with `--index`, builds that many HNSW shards (`--shards`,
 * default the embeddings' partitions) there.
 */
object EmbedAndIndex {
  /** Options and their meaning, printed on a usage error. */
  const val USAGE = "usage: EmbedAndIndex --model DIR --images PATH --embeddings PATH [--index DIR] [--shards N] [--batch N] [--similarity cosine|dot_product]"

  /** Runs in the application's SparkSession (created with [SparkSettings]). */
  @JvmStatic
  fun main(args: Array<String>) {
    val options = parse(args)
    val builder = SparkSession.builder().appName("kontrast-embed-and-index")
    val conf = SparkSettings.apply(org.apache.spark.SparkConf())
    val session = builder.config(conf).getOrCreate()
    try {
      run(session, options)?.use { println("indexed ${it.size} vectors in ${it.shardCount} shards under ${it.directory}") }
    } finally {
      session.stop()
    }
  }

  /** Embeds and (with `index`) indexes as [options] say; returns the opened index, or null without one. */
  @JvmStatic
  fun run(session: SparkSession, options: Map<String, String>): ShardedVectorIndex? {
    val embedder = SavedModelEmbedder(options.getValue("model"), options["batch"]?.toInt() ?: 256)
    embedder.embedToParquet(session.read().parquet(options.getValue("images")), options.getValue("embeddings"))
    val index = options["index"] ?: return null
    val embeddings = session.read().parquet(options.getValue("embeddings"))
    val sharded = options["shards"]?.let { embeddings.repartition(it.toInt()) } ?: embeddings
    val similarity = VectorSimilarity.valueOf((options["similarity"] ?: "cosine").uppercase())
    return ShardedVectorIndex.build(sharded, index, similarity)
  }

  /** Parses `--name value` pairs; the required ones are model, images and embeddings. */
  @JvmStatic
  fun parse(args: Array<String>): Map<String, String> {
    val known = setOf("model", "images", "embeddings", "index", "shards", "batch", "similarity")
    require(args.size % 2 == 0) { "options come in pairs (--name value), got ${args.toList()}; $USAGE" }
    val options = args.toList().chunked(2).associate { (name, value) ->
      require(name.startsWith("--") && name.removePrefix("--") in known) { "unknown option '$name'; $USAGE" }
      name.removePrefix("--") to value
    }
    for (required in listOf("model", "images", "embeddings")) require(required in options) { "--$required is missing; $USAGE" }
    options["shards"]?.let { require((it.toIntOrNull() ?: 0) >= 1) { "--shards must be an integer >= 1, got '$it'" } }
    options["batch"]?.let { require((it.toIntOrNull() ?: 0) >= 1) { "--batch must be an integer >= 1, got '$it'" } }
    options["similarity"]?.let { s ->
      require(VectorSimilarity.values().any { it.name.equals(s, ignoreCase = true) }) { "--similarity must be cosine or dot_product, got '$s'" }
    }
    return options
  }
}
