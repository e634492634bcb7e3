package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.CheckpointIO
import io.github.kontrast.dsl.engine.VariableStore
import io.github.kontrast.dsl.layers.ForwardContext
import io.github.kontrast.dsl.layers.Initializer
import io.github.kontrast.dsl.layers.ParameterFactory
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.applyMasked
import io.github.kontrast.dsl.text.Tokenizer
import org.tensorflow.Graph
import org.tensorflow.SavedModelBundle
import org.tensorflow.Session
import org.tensorflow.Signature
import org.tensorflow.ndarray.Shape
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Placeholder
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import java.nio.file.Files
import java.nio.file.Path

/**
 * Writes CLIP's text tower as a TensorFlow SavedModel, as [SavedModelExport] writes an image
 * encoder: rebuilt in a graph of its own with the trained values, in inference mode. Signature
 * "serving_default", inputs "tokens" (int32 [N, L]: word ids, padding 0) and "mask" (float32
 * [N, L]: 1 at a word, 0 at padding), output "embedding" (float32 [N, D], unit rows). The
 * tokenizer that makes tokens and mask from text ([Tokenizer.save]: vocabulary.txt,
 * tokenizer.properties) goes into the same directory.
 */
internal object ClipTextExport {
  const val TOKENS = "tokens"
  const val MASK = "mask"

  fun write(dir: Path, tower: Sequential, tokenizer: Tokenizer, values: Map<String, Checkpoint.Tensor>, seed: Long) {
    require(!Files.exists(dir) || Files.isDirectory(dir)) { "export: '$dir' exists and is not a directory" }
    Files.createDirectories(dir)
    val length = tokenizer.maxLength.toLong()
    Graph().use { graph ->
      val tf = Ops.create(graph)
      val tokens = tf.withName(TOKENS).placeholder(TInt32::class.java, Placeholder.shape(Shape.of(-1L, length)))
      val mask = tf.withName(MASK).placeholder(TFloat32::class.java, Placeholder.shape(Shape.of(-1L, length)))
      val ctx = ForwardContext(tf, tf.constant(0f), tf.constant(longArrayOf(seed, 0L)))
      val store = VariableStore(tf, seed)
      // the tower is instantiated under its own name, as in training, so each variable has its training path
      val instance = tower.instantiate(ParameterFactory { path, p ->
        val value = values[path] ?: throw IllegalStateException("export: the model has no variable '$path'")
        check(value.shape.contentEquals(p.shape)) { "export: '$path' has shape ${value.shape.contentToString()}, the tower wants ${p.shape.contentToString()}" }
        store.variable(path, p.shape, Initializer { _, _ -> value.data.copyOf() }, trainable = false)
      }, intArrayOf(tokenizer.maxLength))
      val embedding = tf.withName(SavedModelExport.OUTPUT).identity(instance.applyMasked(ctx, tokens, mask))
      store.seal()
      Session(graph).use { session ->
        CheckpointIO(session, store).initialize()
        val signature = Signature.builder()
          .key(SavedModelExport.SIGNATURE)
          .methodName("tensorflow/serving/predict")
          .input(TOKENS, tokens)
          .input(MASK, mask)
          .output(SavedModelExport.OUTPUT, embedding)
          .build()
        SavedModelBundle.exporter(dir.toString()).withTags(SavedModelExport.TAG).withSession(session).withSignature(signature).export()
      }
    }
    tokenizer.save(dir)
  }
}
