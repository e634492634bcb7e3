package io.github.kontrast.dsl.layers

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import io.github.kontrast.dsl.optim.Optimizer
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * One layer in a graph of its own, for value and gradient checks: input "x", output "out",
 * a loss sum(out * w) with fixed weights w so that every output element has its own gradient,
 * and the gradients of that loss for the input and every parameter as outputs "grad/x",
 * "grad/<param>".
 */
class LayerHarness(layer: Layer, val inputShape: IntArray, batch: Int, seed: Long = 7L, optimizer: Optimizer? = null) : AutoCloseable {
  val model = Sequential(listOf(layer), "m")
  private val g = GraphBuilder(seed)
  val trainer: Trainer
  val paramNames: List<String>

  /** The loss weights: loss = sum(out * w), so dloss/dout = w, a different value at each position. */
  private val w: FloatArray

  init {
    val tf = g.tf
    val x: Operand<*> = if (layer.inputType == ElementType.INT) g.intInput("x", inputShape) else g.floatInput("x", inputShape)
    val inst = model.instantiate(g.variables, inputShape)
    val out = inst.apply(g.forward, x)
    val outShape = intArrayOf(batch) + model.outputShape(inputShape)
    val n = outShape.fold(1) { a, b -> a * b }
    // fixed weights 0.3, -0.7, 1.1, ... make the loss sensitive to every element and its position
    w = FloatArray(n) { ((it % 7) * 0.4f + 0.3f) * if (it % 2 == 0) 1 else -1 }
    val wT = tf.reshape(tf.constant(w), tf.constant(outShape))
    val loss = tf.sum(tf.math.mul(out, wT), tf.constant(IntArray(outShape.size) { it }))
    val params = g.variables.all.filter { it.trainable }
    paramNames = params.map { it.path.substringAfterLast('/') }
    val outputs = LinkedHashMap<String, Operand<TFloat32>>()
    outputs["out"] = out
    outputs["loss"] = tf.reshape(loss, tf.constant(intArrayOf(1)))
    val targets = (if (layer.inputType == ElementType.FLOAT) listOf<Operand<*>>(x) else emptyList()) + params.map { it.variable }
    val grads = tf.gradients(loss, targets)
    var i = 0
    if (layer.inputType == ElementType.FLOAT) {
      @Suppress("UNCHECKED_CAST")
      outputs["grad/x"] = grads.dy<TFloat32>(i++) as Operand<TFloat32>
    }
    params.forEach {
      @Suppress("UNCHECKED_CAST")
      outputs["grad/${it.path.substringAfterLast('/')}"] = grads.dy<TFloat32>(i++) as Operand<TFloat32>
    }
    trainer = Trainer(g.compile(loss, emptyMap(), outputs, optimizer))
    trainer.quiet = true
  }

  fun batch(x: FloatArray): Batch = Batch(mapOf("x" to FloatHostArray(x, intArrayOf(x.size / inputShape.fold(1) { a, b -> a * b }) + inputShape)))

  fun intBatch(x: IntArray): Batch = Batch(mapOf("x" to IntHostArray(x, intArrayOf(x.size / inputShape.fold(1) { a, b -> a * b }) + inputShape)))

  fun out(x: FloatArray, training: Boolean = false): FloatHostArray = trainer.run(batch(x), listOf("out"), training).getValue("out")

  fun loss(b: Batch, training: Boolean = false): Double = trainer.run(b, listOf("loss"), training).getValue("loss").data[0].toDouble()

  /** Sets parameter [name] (e.g. "kernel") to [values]. */
  fun set(name: String, values: FloatArray) {
    val c = trainer.checkpoint()
    val key = c.values.keys.single { it.endsWith("/$name") }
    val t = c.values.getValue(key)
    require(t.data.size == values.size) { "$name has ${t.data.size} values, got ${values.size}" }
    trainer.restore(Checkpoint(c.step, c.epoch, c.values + (key to Checkpoint.Tensor(t.shape, values))))
  }

  fun get(name: String): FloatArray = trainer.checkpoint().values.entries.single { it.key.endsWith("/$name") }.value.data

  /** One element whose analytic gradient and finite difference disagree beyond the tolerance. */
  data class Mismatch(val tensor: String, val index: Int, val analytic: Double, val numeric: Double)

  /**
   * The outcome of [checkGradients]: how many elements were compared, of how many, those that
   * disagree, and the largest error as a fraction of its allowance (below 1 passes).
   */
  class GradientCheck(val checked: Int, val total: Int, val mismatches: List<Mismatch>, val worst: Double) {
    override fun toString() = "$checked of $total elements checked, worst error ${"%.3f".format(worst)} of the allowance, ${mismatches.size} off: ${mismatches.take(8)}"
  }

  /**
   * Compares the analytic gradient of the loss, for the input and every trainable parameter, with
   * a central finite difference at EVERY element, and lists those off by more than
   * [absolute] + [relative] * |finite difference|.
   *
   * The step follows the usual error analysis for central differences of a float32 forward pass:
   * truncation error h^2 |f3| / 6 (f3 the third derivative), rounding error about u A / h (u = 2^-24,
   * A the size of the outputs the perturbation moves), smallest near h ~ cbrt(eps32) * scale. So
   * h = cbrt(2^-23) * max(1, |v|) = 4.9e-3 * max(1, |v|), which leaves errors near 1e-4 for the O(1)
   * values and weights used here. Two details keep rounding small: the loss is summed on the host
   * in double from the fetched outputs (outputs the perturbation does not reach come back bit for
   * bit identical and cancel exactly), and the difference is divided by the step float32 actually
   * took, (v + h) - (v - h) as stored, not by 2h.
   */
  fun checkGradients(
    x: FloatArray,
    training: Boolean = false,
    given: Batch? = null,
    absolute: Double = 5e-4,
    relative: Double = 5e-3,
  ): GradientCheck {
    val b = given ?: batch(x)
    val names = (if ("grad/x" in trainer.compiled.outputs) listOf("grad/x") else emptyList()) + paramNames.map { "grad/$it" }
    val analytic = trainer.run(b, names, training)
    val mismatches = mutableListOf<Mismatch>()
    var checked = 0
    var total = 0
    var worst = 0.0
    fun check(tensor: String, values: FloatArray, grad: FloatArray, outputsAt: (Int, Float) -> FloatArray) {
      require(grad.size == values.size) { "$tensor: its gradient has ${grad.size} elements, the tensor ${values.size}" }
      total += values.size
      for (i in values.indices) {
        val h = STEP * maxOf(1f, Math.abs(values[i]))
        val up = values[i] + h
        val down = values[i] - h
        val outUp = outputsAt(i, up)
        val outDown = outputsAt(i, down)
        require(outUp.size == w.size && outDown.size == w.size) { "out has ${outUp.size} elements, expected ${w.size}" }
        var diff = 0.0
        for (k in w.indices) if (outUp[k] != outDown[k]) diff += w[k].toDouble() * (outUp[k].toDouble() - outDown[k].toDouble())
        val numeric = diff / (up.toDouble() - down.toDouble())
        val a = grad[i].toDouble()
        val fraction = Math.abs(a - numeric) / (absolute + relative * Math.abs(numeric))
        // written so that a NaN on either side counts as a mismatch
        if (!(fraction <= 1.0)) mismatches += Mismatch(tensor, i, a, numeric)
        worst = if (fraction.isNaN()) Double.NaN else maxOf(worst, fraction)
        checked++
      }
    }
    analytic["grad/x"]?.let { g ->
      check("x", x, g.data) { i, v -> out(x.copyOf().also { it[i] = v }, training).data }
    }
    for (p in paramNames) {
      val base = get(p)
      check(p, base, analytic.getValue("grad/$p").data) { i, v ->
        set(p, base.copyOf().also { it[i] = v })
        trainer.run(b, listOf("out"), training).getValue("out").data.also { set(p, base) }
      }
    }
    return GradientCheck(checked, total, mismatches, worst)
  }

  override fun close() = trainer.close()

  companion object {
    /** cbrt of float32's machine epsilon (2^-23): the central-difference step for values of size 1. */
    val STEP: Float = Math.cbrt(Math.ulp(1f).toDouble()).toFloat()
  }
}
