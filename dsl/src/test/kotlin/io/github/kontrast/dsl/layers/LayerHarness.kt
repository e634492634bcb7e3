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

  init {
    val tf = g.tf
    val x: Operand<*> = if (layer.inputType == ElementType.INT) g.intInput("x", inputShape) else g.floatInput("x", inputShape)
    val inst = model.instantiate(g.variables, inputShape)
    val out = inst.apply(g.forward, x)
    val outShape = intArrayOf(batch) + model.outputShape(inputShape)
    val n = outShape.fold(1) { a, b -> a * b }
    // fixed weights 0.3, 0.7, 1.1, ... make the loss sensitive to every element and its position
    val w = FloatArray(n) { ((it % 7) * 0.4f + 0.3f) * if (it % 2 == 0) 1 else -1 }
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

  /**
   * Largest relative error between the analytic gradients (input and every parameter) and central
   * finite differences of the loss, at up to [probes] elements of each.
   */
  fun gradientError(x: FloatArray, training: Boolean = false, eps: Float = 1e-2f, probes: Int = 12, given: Batch? = null): Double {
    val b = given ?: batch(x)
    val analytic = trainer.run(b, (if ("grad/x" in trainer.compiled.outputs) listOf("grad/x") else emptyList()) + paramNames.map { "grad/$it" }, training)
    var worst = 0.0
    fun check(grad: FloatArray, perturb: (Int, Float) -> Double) {
      val step = maxOf(1, grad.size / probes)
      for (i in grad.indices step step) {
        val fd = (perturb(i, eps) - perturb(i, -eps)) / (2 * eps)
        val err = Math.abs(fd - grad[i]) / maxOf(1.0, Math.abs(fd))
        worst = maxOf(worst, err)
      }
    }
    analytic["grad/x"]?.let { g ->
      check(g.data) { i, e -> loss(batch(x.copyOf().also { it[i] += e }), training) }
    }
    for (p in paramNames) {
      val base = get(p)
      check(analytic.getValue("grad/$p").data) { i, e ->
        set(p, base.copyOf().also { it[i] += e })
        loss(b, training).also { set(p, base) }
      }
    }
    return worst
  }

  override fun close() = trainer.close()
}
