package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.CheckpointIO
import io.github.kontrast.dsl.engine.VariableStore
import io.github.kontrast.dsl.layers.ForwardContext
import io.github.kontrast.dsl.layers.Initializer
import io.github.kontrast.dsl.layers.ParameterFactory
import org.tensorflow.Graph
import org.tensorflow.SavedModelBundle
import org.tensorflow.Session
import org.tensorflow.Signature
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import java.nio.file.Files
import java.nio.file.Path

/**
 * Writes a pipeline's embedding as a TensorFlow SavedModel. The encoder is rebuilt in a small
 * graph of its own (the training graph, with its optimizer, labels and loss, stays as it is):
 * placeholder "image" -> preprocessing -> encoder in inference mode (training flag a constant 0:
 * no dropout, batch norm's moving statistics) -> "embedding". Its variables start at the
 * trained values, so TensorFlow's saver writes them to variables/ as any SavedModel holds them.
 */
internal object SavedModelExport {
  const val SIGNATURE = "serving_default"
  const val INPUT = "image"
  const val OUTPUT = "embedding"
  const val TAG = "serve"

  fun write(dir: Path, spec: EmbeddingSpec, values: Map<String, Checkpoint.Tensor>, seed: Long) {
    require(!Files.exists(dir) || Files.isDirectory(dir)) { "export: '$dir' exists and is not a directory" }
    Files.createDirectories(dir)
    Graph().use { graph ->
      val tf = Ops.create(graph)
      val image = tf.withName(INPUT).placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1L, *spec.inputShape.map { it.toLong() }.toLongArray())))
      val ctx = ForwardContext(tf, tf.constant(0f), tf.constant(longArrayOf(seed, 0L)))
      val store = VariableStore(tf, seed)
      var k = 0
      val encoder = spec.encoder.instantiate(ParameterFactory { path, p ->
        val source = spec.variablePaths[k++]
        val value = values[source] ?: throw IllegalStateException("export: the model has no variable '$source'")
        check(value.shape.contentEquals(p.shape)) { "export: '$source' has shape ${value.shape.contentToString()}, the encoder wants ${p.shape.contentToString()}" }
        store.variable(path, p.shape, Initializer { _, _ -> value.data.copyOf() }, trainable = false)
      }, spec.inputShape)
      val embedding = tf.withName(OUTPUT).identity(encoder.apply(ctx, spec.preprocessing.apply(tf, image)))
      store.seal()
      Session(graph).use { session ->
        CheckpointIO(session, store).initialize()
        val signature = Signature.builder()
          .key(SIGNATURE)
          .methodName("tensorflow/serving/predict")
          .input(INPUT, image)
          .output(OUTPUT, embedding)
          .build()
        SavedModelBundle.exporter(dir.toString()).withTags(TAG).withSession(session).withSignature(signature).export()
      }
    }
  }
}
