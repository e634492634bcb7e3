package io.github.kontrast.dsl.layers

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.GraphBuilder
import io.github.kontrast.dsl.engine.Trainer
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * A stack of layers applied with a padding mask ([applyMasked]) in a graph of its own: inputs "x"
 * ([batch] + [inputShape], float or int ids) and "mask" ([batch, L]), output "out", and the
 * gradients of loss = sum(out * w) (fixed weights, a different one per element) for the input
 * (when float) and every trainable parameter, as "grad/x" and "grad/<path>".
 */
class MaskedHarness(layers: List<Layer>, val inputShape: IntArray, val batch: Int, seed: Long = 7L) : AutoCloseable {
  val model = Sequential(layers, "m")
  private val g = GraphBuilder(seed)
  val trainer: Trainer
  val paramPaths: List<String>
  private val w: FloatArray
  private val floatInput = model.inputType == ElementType.FLOAT

  init {
    val tf = g.tf
    val x: Operand<*> = if (floatInput) g.floatInput("x", inputShape) else g.intInput("x", inputShape)
    val mask = g.floatInput("mask", intArrayOf(inputShape[0]))
    val out = model.instantiate(g.variables, inputShape).applyMasked(g.forward, x, mask)
    val outShape = intArrayOf(batch) + model.outputShape(inputShape)
    w = FloatArray(outShape.fold(1) { a, b -> a * b }) { ((it % 7) * 0.4f + 0.3f) * if (it % 2 == 0) 1 else -1 }
    val loss = tf.sum(tf.math.mul(out, tf.reshape(tf.constant(w), tf.constant(outShape))), tf.constant(IntArray(outShape.size) { it }))
    val params = g.variables.all.filter { it.trainable }
    paramPaths = params.map { it.path.removePrefix("m/") }
    val outputs = LinkedHashMap<String, Operand<TFloat32>>()
    outputs["out"] = out
    val targets = (if (floatInput) listOf<Operand<*>>(x) else emptyList()) + params.map { it.variable }
    val grads = tf.gradients(loss, targets)
    var i = 0
    @Suppress("UNCHECKED_CAST")
    if (floatInput) outputs["grad/x"] = grads.dy<TFloat32>(i++) as Operand<TFloat32>
    params.forEach {
      @Suppress("UNCHECKED_CAST")
      outputs["grad/${it.path.removePrefix("m/")}"] = grads.dy<TFloat32>(i++) as Operand<TFloat32>
    }
    trainer = Trainer(g.compile(loss, emptyMap(), outputs))
    trainer.quiet = true
  }

  fun batchOf(x: HostArray, mask: FloatArray): Batch = Batch(mapOf("x" to x, "mask" to FloatHostArray(mask, intArrayOf(batch, inputShape[0]))))

  fun floats(x: FloatArray) = FloatHostArray(x, intArrayOf(batch) + inputShape)
  fun ints(x: IntArray) = IntHostArray(x, intArrayOf(batch) + inputShape)

  fun out(x: HostArray, mask: FloatArray): FloatHostArray = trainer.run(batchOf(x, mask), listOf("out")).getValue("out")

  fun run(x: HostArray, mask: FloatArray, names: List<String>): Map<String, FloatHostArray> = trainer.run(batchOf(x, mask), names)

  /** Sets the parameter whose path ends with "/[name]" (e.g. "attention/query/kernel"). */
  fun set(name: String, values: FloatArray) {
    val c = trainer.checkpoint()
    val key = c.values.keys.single { it.endsWith("/$name") }
    val t = c.values.getValue(key)
    require(t.data.size == values.size) { "$name has ${t.data.size} values, got ${values.size}" }
    trainer.restore(Checkpoint(c.step, c.epoch, c.values + (key to Checkpoint.Tensor(t.shape, values))))
  }

  fun get(name: String): FloatArray = trainer.checkpoint().values.entries.single { it.key.endsWith("/$name") }.value.data

  class Mismatch(val tensor: String, val index: Int, val analytic: Double, val numeric: Double) {
    override fun toString() = "$tensor[$index]: analytic $analytic, finite difference $numeric"
  }

  class GradientCheck(val checked: Int, val mismatches: List<Mismatch>) {
    override fun toString() = "$checked elements checked, ${mismatches.size} off: ${mismatches.take(6)}"
  }

  /**
   * Analytic gradients against central differences at every element of the input (when float) and
   * of every trainable parameter, allowed [absolute] + [relative] * |finite difference|. The step is
   * cbrt(float32 epsilon) * max(1, |v|), which balances truncation and rounding error for a float32
   * forward pass; the loss is summed on the host in double from the fetched outputs, and divided by
   * the step float32 actually took.
   */
  fun checkGradients(x: HostArray, mask: FloatArray, absolute: Double = 5e-4, relative: Double = 5e-3): GradientCheck {
    val names = (if (floatInput) listOf("grad/x") else emptyList()) + paramPaths.map { "grad/$it" }
    val analytic = run(x, mask, names)
    val mismatches = mutableListOf<Mismatch>()
    var checked = 0
    fun check(tensor: String, values: FloatArray, grad: FloatArray, outputsAt: (Int, Float) -> FloatArray) {
      require(grad.size == values.size) { "$tensor: gradient has ${grad.size} elements, the tensor ${values.size}" }
      for (i in values.indices) {
        val h = STEP * maxOf(1f, Math.abs(values[i]))
        val up = values[i] + h
        val down = values[i] - h
        val a = outputsAt(i, up)
        val b = outputsAt(i, down)
        var diff = 0.0
        for (k in w.indices) if (a[k] != b[k]) diff += w[k].toDouble() * (a[k].toDouble() - b[k].toDouble())
        val numeric = diff / (up.toDouble() - down.toDouble())
        val an = grad[i].toDouble()
        if (!(Math.abs(an - numeric) <= absolute + relative * Math.abs(numeric))) mismatches += Mismatch(tensor, i, an, numeric)
        checked++
      }
    }
    if (floatInput) {
      val xs = (x as FloatHostArray).data
      check("x", xs, analytic.getValue("grad/x").data) { i, v -> out(floats(xs.copyOf().also { it[i] = v }), mask).data }
    }
    for (p in paramPaths) {
      val base = get(p)
      check(p, base, analytic.getValue("grad/$p").data) { i, v ->
        set(p, base.copyOf().also { it[i] = v })
        out(x, mask).data.also { set(p, base) }
      }
    }
    return GradientCheck(checked, mismatches)
  }

  override fun close() = trainer.close()

  companion object {
    val STEP: Float = Math.cbrt(Math.ulp(1f).toDouble()).toFloat()
  }
}
