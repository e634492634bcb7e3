package io.github.kontrast.dsl.engine

import org.tensorflow.Session
import org.tensorflow.Tensor
import org.tensorflow.types.TFloat32

/**
 * Moves variable values between a session and the host: reads every variable in one run (for
 * checkpoints and exports) and writes given values through each variable's assign op (for
 * initialization and restore). The checkpoint file format itself is [Checkpoint]'s.
 */
internal class CheckpointIO(private val session: Session, private val variables: VariableStore) {
  /** The current value of every variable, by path, in creation order. */
  fun read(): Map<String, Checkpoint.Tensor> {
    val entries = variables.all
    val values = LinkedHashMap<String, Checkpoint.Tensor>()
    if (entries.isEmpty()) return values
    val runner = session.runner()
    entries.forEach { runner.fetch(it.variable) }
    runner.run().use { r ->
      entries.forEachIndexed { i, e -> values[e.path] = Checkpoint.Tensor(e.shape, Tensors.read(r.get(i) as TFloat32)) }
    }
    return values
  }

  /** Sets every variable to [values] (by path; all of them must be there) in one run. */
  fun write(values: Map<String, FloatArray>) {
    val entries = variables.all
    if (entries.isEmpty()) return
    val tensors = ArrayList<Tensor>(entries.size)
    try {
      val runner = session.runner()
      for (e in entries) {
        val t = Tensors.floats(values.getValue(e.path), e.shape)
        tensors += t
        runner.feed(e.feed, t).addTarget(e.assign)
      }
      runner.run().close()
    } finally {
      tensors.forEach { it.close() }
    }
  }

  /** Starts every variable at its host-computed initial value. */
  fun initialize() = write(variables.all.associate { it.path to it.initial })

  /** Loads [checkpoint] after checking that it holds exactly this graph's variables with their shapes. */
  fun restore(checkpoint: Checkpoint) {
    val entries = variables.all
    val missing = entries.map { it.path }.filter { it !in checkpoint.values }
    require(missing.isEmpty()) { "the checkpoint lacks variables of this model: $missing" }
    val extra = checkpoint.values.keys - entries.map { it.path }.toSet()
    require(extra.isEmpty()) { "the checkpoint has variables this model does not: $extra" }
    for (e in entries) {
      val t = checkpoint.values.getValue(e.path)
      require(t.shape.contentEquals(e.shape)) {
        "variable '${e.path}' has shape ${t.shape.contentToString()} in the checkpoint, ${e.shape.contentToString()} in this model"
      }
    }
    write(entries.associate { it.path to checkpoint.values.getValue(it.path).data })
  }
}
