package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ModelSummary
import org.tensorflow.Session
import org.tensorflow.Tensor
import org.tensorflow.types.TBool
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt64

/**
 * Turns host data into a run's feeds: the batch arrays for the graph's inputs (checked against
 * their declared type and shape) and the per-run scalars (learning rate, step number, host
 * scalars, and in training the flag and the step's random seed). Every tensor it makes goes into
 * the caller's list, which closes them after the run.
 */
internal class BatchFeeder(private val compiled: CompiledGraph, private val seed: Long) : AutoCloseable {
  private val trueTensor: TBool = TBool.scalarOf(true)

  /** Fails unless [batch] has a fitting array for every input in [specs]. */
  fun check(batch: Batch, specs: List<InputSpec> = compiled.inputs) {
    specs.forEach { hostInput(batch, it) }
  }

  /** Feeds the arrays of [batch] named by [specs]. */
  fun feedInputs(runner: Session.Runner, batch: Batch, specs: List<InputSpec>, tensors: MutableList<Tensor>) {
    for (s in specs) {
      val t = Tensors.of(hostInput(batch, s))
      tensors += t
      runner.feed(s.placeholder, t)
    }
  }

  /**
   * Feeds what every stats run reads: the learning rate, the 1-based number of the update
   * ([step] + 1), the host scalars at [step]; with [training] also the training flag and seed.
   */
  fun feedStep(runner: Session.Runner, step: Long, learningRate: Double, training: Boolean, tensors: MutableList<Tensor>) {
    val b = compiled.builder
    val lr = TFloat32.scalarOf(learningRate.toFloat()).also { tensors += it }
    val stepT = TFloat32.scalarOf((step + 1).toFloat()).also { tensors += it }
    runner.feed(b.learningRate, lr).feed(b.step, stepT)
    for (s in compiled.hostScalars) {
      val t = TFloat32.scalarOf(s.value.applyAsDouble(step).toFloat()).also { tensors += it }
      runner.feed(s.placeholder, t)
    }
    if (training) feedTraining(runner, step, tensors)
  }

  /** Switches the forward pass to training mode (dropout on, batch statistics) with the random seed of [step]. */
  fun feedTraining(runner: Session.Runner, step: Long, tensors: MutableList<Tensor>) {
    val b = compiled.builder
    val seedT = TInt64.vectorOf(seed, step).also { tensors += it }
    runner.feed(b.trainingFlag, trueTensor).feed(b.stepSeed, seedT)
  }

  override fun close() = trueTensor.close()

  companion object {
    /**
     * The batch array for input [s], checked: it must exist, hold the right element type (ints are
     * accepted for a float input, as labels often are) and have the declared per-example shape, up
     * to dimensions of size 1 ([N] and [N, 1] both fit a scalar-per-example label).
     */
    fun hostInput(batch: Batch, s: InputSpec): HostArray {
      val a = batch.arrays[s.name]
        ?: throw IllegalArgumentException("the batch has no array '${s.name}' for the model's input '${s.name}'; it has ${batch.arrays.keys}")
      val perExample = a.shape.drop(1).toIntArray()
      val fits = perExample.contentEquals(s.shape) ||
        perExample.filter { it != 1 } == s.shape.filter { it != 1 }
      require(fits) {
        "array '${s.name}' has shape ${a.shape.contentToString()}, i.e. ${ModelSummary.shape(perExample)} per example, " +
          "but the input '${s.name}' expects ${ModelSummary.shape(s.shape)}"
      }
      val rowShape = intArrayOf(a.rows) + s.shape
      return when {
        s.type == ElementType.FLOAT && a is FloatHostArray -> if (perExample.contentEquals(s.shape)) a else FloatHostArray(a.data, rowShape)
        s.type == ElementType.FLOAT && a is IntHostArray -> FloatHostArray(FloatArray(a.data.size) { a.data[it].toFloat() }, rowShape)
        s.type == ElementType.INT && a is IntHostArray -> if (perExample.contentEquals(s.shape)) a else IntHostArray(a.data, rowShape)
        else -> throw IllegalArgumentException("array '${s.name}' holds floats but the input '${s.name}' expects ints")
      }
    }
  }
}
