package io.github.kontrast.spark

import org.apache.spark.TaskContext
import org.apache.spark.api.java.function.FlatMapFunction
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.SaveMode
import org.apache.spark.sql.functions
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType
import org.apache.spark.util.TaskCompletionListener
import org.tensorflow.SavedModelBundle
import org.tensorflow.ndarray.Shape
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.types.TFloat32
import java.io.Serializable

/**
 * Embeds a dataset with an exported encoder (a pipeline's `export`: a SavedModel with signature
 * `serving_default`, input `image`, output `embedding`), partition by partition: each task loads
 * the SavedModel once and runs it on batches of [batchSize] rows. The model folder must be
 * readable at [modelDir] on every executor (a shared file system, or a folder shipped with
 * `spark-submit --archives`).
 *
 * @property modelDir the SavedModel's folder, as the executors see it.
 * @property batchSize rows per call of the model.
 */
class SavedModelEmbedder @JvmOverloads constructor(val modelDir: String, val batchSize: Int = 256) : Serializable {
  init {
    require(batchSize >= 1) { "batchSize must be >= 1, got $batchSize" }
  }

  /**
   * The embeddings of [frame]'s rows: a DataFrame of `id` (long) and `embedding` (array of float),
   * partitioned as [frame] is. [idColumn] holds any integer id, [imageColumn] each image flattened
   * (array of float, as many values as the model's input holds per example).
   */
  @JvmOverloads
  fun embed(frame: Dataset<Row>, idColumn: String = ID, imageColumn: String = IMAGE): Dataset<Row> {
    val columns = frame.columns().toList()
    require(idColumn in columns) { "idColumn '$idColumn' is not a column of the frame, which has $columns" }
    require(imageColumn in columns) { "imageColumn '$imageColumn' is not a column of the frame, which has $columns" }
    val input = frame.select(functions.col(idColumn).cast(DataTypes.LongType), functions.col(imageColumn).cast(IMAGE_TYPE))
    val rows = input.javaRDD().mapPartitions(EmbedPartition(modelDir, batchSize))
    return frame.sparkSession().createDataFrame(rows, SCHEMA)
  }

  /** [embed], written to [path] as Parquet (replacing what is there). */
  @JvmOverloads
  fun embedToParquet(frame: Dataset<Row>, path: String, idColumn: String = ID, imageColumn: String = IMAGE) {
    embed(frame, idColumn, imageColumn).write().mode(SaveMode.Overwrite).parquet(path)
  }

  override fun toString() = "SavedModelEmbedder($modelDir, batch $batchSize)"

  companion object {
    private const val serialVersionUID = 1L

    /** The id column's name, in and out. */
    const val ID = "id"

    /** The image column's name. */
    const val IMAGE = "image"

    /** The embedding column's name. */
    const val EMBEDDING = "embedding"

    private val IMAGE_TYPE = DataTypes.createArrayType(DataTypes.FloatType)

    /** The output's schema: `id` (long) and `embedding` (array of float). */
    @JvmField
    val SCHEMA: StructType = DataTypes.createStructType(
      listOf(
        DataTypes.createStructField(ID, DataTypes.LongType, false),
        DataTypes.createStructField(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false),
      ),
    )
  }
}

/** One partition: the model loaded once, rows embedded a batch at a time as the output is read. */
private class EmbedPartition(private val modelDir: String, private val batchSize: Int) : FlatMapFunction<Iterator<Row>, Row> {
  override fun call(rows: Iterator<Row>): Iterator<Row> {
    if (!rows.hasNext()) return emptyList<Row>().iterator()
    val bundle = SavedModelBundle.load(modelDir, "serve")
    // closed when the task ends, also when its output is not read to the end
    TaskContext.get()?.addTaskCompletionListener(TaskCompletionListener { bundle.close() })
    val function = bundle.function("serving_default")
    val inputShape = function.signature().inputs["image"]?.shape
      ?: throw IllegalArgumentException("the SavedModel in $modelDir has no input 'image' in serving_default")
    val perExample = inputShape.asArray().drop(1)
    require(perExample.all { it > 0 }) { "the SavedModel in $modelDir takes images of shape $inputShape: every dimension but the first must be known" }
    val size = perExample.fold(1L) { a, b -> a * b }.toInt()
    return generateSequence {
      if (!rows.hasNext()) return@generateSequence null
      val ids = ArrayList<Long>(batchSize)
      val data = FloatArray(batchSize * size)
      while (ids.size < batchSize && rows.hasNext()) {
        val row = rows.next()
        val image = row.getList<Float>(1)
        require(image.size == size) { "row ${row.getLong(0)}: the image has ${image.size} values, the model takes $size (shape $inputShape)" }
        val at = ids.size * size
        for (j in 0 until size) data[at + j] = image[j]
        ids.add(row.getLong(0))
      }
      embedBatch(function, ids, data, size, perExample)
    }.flatten().iterator()
  }

  private fun embedBatch(function: org.tensorflow.SessionFunction, ids: List<Long>, data: FloatArray, size: Int, perExample: List<Long>): List<Row> {
    val n = ids.size
    val shape = Shape.of(n.toLong(), *perExample.toLongArray())
    return TFloat32.tensorOf(shape, DataBuffers.of(data.copyOf(n * size), true, false)).use { x ->
      function.call(mapOf("image" to x)).use { result ->
        val t = result.get("embedding").orElseThrow { IllegalStateException("the SavedModel in $modelDir returned no 'embedding'") } as TFloat32
        val out = FloatArray(t.size().toInt())
        t.copyTo(DataBuffers.of(out, false, false))
        val d = out.size / n
        ids.mapIndexed { i, id -> RowFactory.create(id, out.copyOfRange(i * d, i * d + d)) }
      }
    }
  }

  private companion object {
    private const val serialVersionUID = 1L
  }
}
