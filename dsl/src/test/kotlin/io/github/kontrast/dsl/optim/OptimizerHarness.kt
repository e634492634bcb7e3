package io.github.kontrast.dsl.optim

import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import org.tensorflow.Graph
import org.tensorflow.Operand
import org.tensorflow.Session
import org.tensorflow.ndarray.buffer.DataBuffers
import org.tensorflow.op.Ops
import org.tensorflow.op.core.Variable
import org.tensorflow.types.TFloat32
import kotlin.math.abs

/** A parameter of a test problem: name, shape and initial values (row-major). */
class TestParameter(val name: String, val shape: LongArray, val initial: DoubleArray)

/**
 * A small problem whose gradient is written twice: as graph ops reading the variables, and as
 * plain Kotlin doubles for the hand-computed reference.
 */
interface TestProblem {
  val parameters: List<TestParameter>
  fun gradientOps(tf: Ops, variables: List<Variable<TFloat32>>): List<Operand<TFloat32>>
  fun gradient(weights: List<DoubleArray>): List<DoubleArray>
}

/**
 * The coupled quadratic `f(K, b) = 1/2 sum_ij (K_ij * b_j - T_ij)^2` over a 2x2 "dense/kernel" K and
 * a 2-element "dense/bias" b. Each gradient reads both parameters, so an update that ran before
 * the other gradient was computed would show in the numbers.
 */
object CoupledQuadratic : TestProblem {
  private val target = doubleArrayOf(1.0, -2.0, 0.5, 3.0)

  override val parameters = listOf(
    TestParameter("dense/kernel", longArrayOf(2, 2), doubleArrayOf(0.5, -1.0, 2.0, 0.25)),
    TestParameter("dense/bias", longArrayOf(2), doubleArrayOf(1.5, -0.5)),
  )

  override fun gradientOps(tf: Ops, variables: List<Variable<TFloat32>>): List<Operand<TFloat32>> {
    val (k, b) = variables
    val t = tf.reshape(tf.constant(FloatArray(4) { target[it].toFloat() }), tf.constant(longArrayOf(2, 2)))
    val residual = tf.math.sub(tf.math.mul(k, b), t)
    return listOf(tf.math.mul(residual, b), tf.sum(tf.math.mul(residual, k), tf.constant(0)))
  }

  override fun gradient(weights: List<DoubleArray>): List<DoubleArray> {
    val (k, b) = weights
    val r = DoubleArray(4) { k[it] * b[it % 2] - target[it] }
    val gk = DoubleArray(4) { r[it] * b[it % 2] }
    val gb = DoubleArray(2) { j -> r[j] * k[j] + r[2 + j] * k[2 + j] }
    return listOf(gk, gb)
  }
}

/** What a run produced: the weights after each step and the slots the optimizer asked for. */
class RunResult(val weightsAfterStep: List<List<DoubleArray>>, val slotNames: List<String>)

/**
 * Builds a Graph with the problem's variables, applies [optimizer] to the problem's gradient and
 * runs [learningRates].size steps, feeding the rate and the 1-based step as the engine does.
 */
fun runOptimizer(optimizer: Optimizer, problem: TestProblem, learningRates: List<Double>): RunResult =
  Graph().use { graph ->
    val tf = Ops.create(graph)
    val variables = problem.parameters.map { p ->
      val init = tf.reshape(tf.constant(FloatArray(p.initial.size) { p.initial[it].toFloat() }), tf.constant(p.shape))
      tf.withName(p.name.replace('/', '_')).variable(init)
    }
    val parameters = problem.parameters.zip(variables).map { (p, v) -> Parameter(p.name, v) }
    val slotNames = mutableListOf<String>()
    // the test's stand-in for the engine's slot storage: zero variables shaped like the parameter
    val slots = SlotFactory { parameter, slotName ->
      slotNames += "${parameter.name}:$slotName"
      tf.variable(tf.zeros(tf.constant(parameter.variable.shape().asArray()), TFloat32::class.java))
    }
    val lr = tf.placeholder(TFloat32::class.java)
    val step = tf.placeholder(TFloat32::class.java)
    val gradients = problem.gradientOps(tf, variables)
    val update = optimizer.applyGradients(tf, parameters.zip(gradients), StepInputs(lr, step), slots)
    Session(graph).use { session ->
      session.initialize()
      val history = learningRates.mapIndexed { index, rate ->
        TFloat32.scalarOf(rate.toFloat()).use { lrValue ->
          TFloat32.scalarOf((index + 1).toFloat()).use { stepValue ->
            session.runner().feed(lr, lrValue).feed(step, stepValue).addTarget(update).run().close()
          }
        }
        variables.map { v -> fetch(session, v) }
      }
      RunResult(history, slotNames)
    }
  }

private fun fetch(session: Session, variable: Variable<TFloat32>): DoubleArray =
  session.runner().fetch(variable).run().use { result ->
    val tensor = result.get(0) as TFloat32
    val values = FloatArray(tensor.shape().size().toInt())
    tensor.copyTo(DataBuffers.of(values, false, false))
    DoubleArray(values.size) { values[it].toDouble() }
  }

/**
 * Runs a hand-written reference update ([step] maps weights, gradients, the rate and the 1-based
 * step to new weights, keeping its own state) and returns the weights after each step.
 */
fun reference(
  problem: TestProblem,
  learningRates: List<Double>,
  step: (weights: List<DoubleArray>, gradients: List<DoubleArray>, lr: Double, t: Int) -> List<DoubleArray>,
): List<List<DoubleArray>> {
  var weights = problem.parameters.map { it.initial.copyOf() }
  return learningRates.mapIndexed { index, lr ->
    weights = step(weights, problem.gradient(weights), lr, index + 1)
    weights
  }
}

/** Float32 against double: equal within 1e-5 relative plus 1e-6 absolute, element by element, after checking every size. */
fun assertClose(actual: List<List<DoubleArray>>, expected: List<List<DoubleArray>>) {
  actual.size shouldBe expected.size
  for (s in actual.indices) for (p in actual[s].indices) {
    actual[s].size shouldBe expected[s].size
    actual[s][p].size shouldBe expected[s][p].size
    for (i in actual[s][p].indices) {
      val e = expected[s][p][i]
      withClue("step ${s + 1}, parameter $p, element $i") {
        actual[s][p][i] shouldBe (e plusOrMinus (1e-5 * abs(e) + 1e-6))
      }
    }
  }
}

private inline fun <T> withClue(clue: String, block: () -> T): T = io.kotest.assertions.withClue(clue, block)
