package io.github.kontrast.dsl.optim

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.ints.shouldBeGreaterThan
import org.tensorflow.Graph
import org.tensorflow.GraphOperation
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * TensorFlow's Apply* ops and AssignSub change reference variables in place, so every op that
 * writes a parameter must wait for every gradient: otherwise backpropagation could read weights
 * that another parameter's update has already changed. Checked on the graph's structure, since a
 * race would only show now and then.
 */
class UpdateGatingSpec : FunSpec({
  val optimizers = listOf(
    sgd(0.1), sgd(0.1, momentum = 0.9, nesterov = true), adam(), adamW(weightDecay = 0.1),
    adamW(weightDecay = 0.1, excludeFromDecay = ParameterFilter.BIASES_AND_NORMALIZATION),
    rmsprop(), rmsprop(momentum = 0.5, centered = true), lars(0.1),
  )

  for (optimizer in optimizers) {
    test("${optimizer.describe()}: every write to a parameter waits for all gradients") {
      Graph().use { graph ->
        val tf = Ops.create(graph)
        val variables = CoupledQuadratic.parameters.map { p ->
          tf.withName(p.name.replace('/', '_')).variable(tf.zeros(tf.constant(p.shape), TFloat32::class.java))
        }
        val gradients = CoupledQuadratic.gradientOps(tf, variables)
        val parameters = CoupledQuadratic.parameters.zip(variables).map { (p, v) -> Parameter(p.name, v) }
        val slots = SlotFactory { parameter, _ -> tf.variable(tf.zeros(tf.constant(parameter.variable.shape().asArray()), TFloat32::class.java)) }
        optimizer.applyGradients(tf, parameters.zip(gradients), StepInputs(tf.constant(0.1f), tf.constant(1f)), slots)

        val gradientOps = gradients.map { it.op() as GraphOperation }
        val writers = graph.operations().asSequence().filter { it.type().startsWith("Apply") || it.type() == "AssignSub" }.toList()
        writers.size shouldBeGreaterThan 1
        for (writer in writers) ancestors(writer) shouldContainAll gradientOps
      }
    }
  }
})

/** Every op [op] depends on through data or control edges. */
private fun ancestors(op: GraphOperation): Set<GraphOperation> {
  val seen = HashSet<GraphOperation>()
  val stack = ArrayDeque(listOf(op))
  while (stack.isNotEmpty()) {
    val current = stack.removeLast()
    val parents = current.inputs().map { it.op() as GraphOperation } + current.controlInputs()
    for (p in parents) if (seen.add(p)) stack.addLast(p)
  }
  return seen
}
