package io.github.kontrast.spark

import io.github.kontrast.dsl.data.FloatHostArray
import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType

/** Images as a Spark DataFrame of the layout [SavedModelEmbedder] reads. */
object ImageFrames {
  /** The schema: `id` (long) and `image` (array of float, one image flattened row-major). */
  @JvmField
  val SCHEMA: StructType = DataTypes.createStructType(
    listOf(
      DataTypes.createStructField(SavedModelEmbedder.ID, DataTypes.LongType, false),
      DataTypes.createStructField(SavedModelEmbedder.IMAGE, DataTypes.createArrayType(DataTypes.FloatType, false), false),
    ),
  )

  /**
   * The rows of [images] (`[N, ...]`) as a DataFrame in [partitions] partitions of consecutive
   * rows, with ids `firstId`, `firstId + 1`, ... in row order. For data that fits on the driver
   * (tests, examples); a large dataset is read from storage with the same schema instead.
   */
  @JvmStatic
  @JvmOverloads
  fun of(session: SparkSession, images: FloatHostArray, partitions: Int, firstId: Long = 0L): Dataset<Row> {
    require(images.shape.size >= 2) { "images must be [N, ...], got ${images.shape.contentToString()}" }
    require(partitions >= 1) { "partitions must be >= 1, got $partitions" }
    val per = images.data.size / images.rows
    val rows = (0 until images.rows).map { r ->
      RowFactory.create(firstId + r, images.data.copyOfRange(r * per, r * per + per))
    }
    val rdd = JavaSparkContext.fromSparkContext(session.sparkContext()).parallelize(rows, partitions)
    return session.createDataFrame(rdd, SCHEMA)
  }
}
