package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.optim.Optimizer
import org.tensorflow.Graph
import org.tensorflow.GraphOperation
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.types.TFloat32

/**
 * A finished graph and the handles a [Trainer] needs: inputs, the stats vector ([total loss,
 * each loss term if several, metric1 sum, metric1 count, ...]), named outputs, the train target
 * (null when the graph has no optimizer, e.g. for inference only) and the host scalars to feed.
 *
 * It owns its [graph]: [close] frees it, after every session on it is closed.
 */
class CompiledGraph internal constructor(
  val builder: GraphBuilder,
  val inputs: List<InputSpec>,
  internal val stats: Operand<TFloat32>,
  /** History keys of the loss terms ("<term>_loss"), empty when the loss has a single term. */
  val lossTermKeys: List<String>,
  val metricNames: List<String>,
  /** Per-example outputs by name, float32 or int32. */
  val outputs: Map<String, Operand<*>>,
  internal val trainTarget: Op?,
  val optimizer: Optimizer?,
  internal val hostScalars: List<HostScalar>,
) : AutoCloseable {
  val graph: Graph get() = builder.graph

  val variables: VariableStore get() = builder.variables

  private val inputsByOutput = HashMap<String, List<InputSpec>>()

  fun input(name: String): InputSpec =
    inputs.firstOrNull { it.name == name } ?: throw IllegalArgumentException("the graph has no input '$name'; it has ${inputs.map { it.name }}")

  fun output(name: String): Operand<*> =
    outputs[name] ?: throw IllegalArgumentException("the graph has no output '$name'; it has ${outputs.keys}")

  /** The inputs that [output] depends on: the batch arrays predict must feed for it (TensorFlow prunes the rest). */
  fun inputsFor(output: String): List<InputSpec> = inputsByOutput.getOrPut(output) {
    val upstream: Set<GraphOperation> = graph.subgraphTo(setOf<Operand<*>>(output(output)))
    inputs.filter { it.placeholder.op() in upstream }
  }

  override fun close() = graph.close()
}
