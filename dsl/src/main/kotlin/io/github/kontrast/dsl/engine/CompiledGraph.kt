package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.optim.Optimizer
import org.tensorflow.Operand
import org.tensorflow.op.Op
import org.tensorflow.types.TFloat32

/**
 * A finished graph and the handles a [Trainer] needs: inputs, the stats vector
 * ([loss, metric1 sum, metric1 count, ...]), named outputs and the train target (null when the
 * graph has no optimizer, e.g. for inference only).
 */
class CompiledGraph internal constructor(
  val builder: GraphBuilder,
  val inputs: List<InputSpec>,
  internal val stats: Operand<TFloat32>,
  val metricNames: List<String>,
  val outputs: Map<String, Operand<TFloat32>>,
  internal val trainTarget: Op?,
  val optimizer: Optimizer?,
) {
  val variables: VariableStore get() = builder.variables

  fun input(name: String): InputSpec =
    inputs.firstOrNull { it.name == name } ?: throw IllegalArgumentException("the graph has no input '$name'; it has ${inputs.map { it.name }}")
}
