package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
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
import java.nio.file.Path

/**
 * Runs a [CompiledGraph] in one Session: initializes variables from their host-computed values,
 * trains on batches (one Session.run per step, fetching only the stats vector), evaluates,
 * predicts, saves and restores. Counters (updates done, epochs done) live here and in checkpoints.
 *
 * Repeatability: weights come from the seed, the batch order of epoch e from (seed, e), dropout
 * masks from (seed, step); on CPU the same seed gives the same losses bit for bit.
 */
class Trainer(val compiled: CompiledGraph, val seed: Long = compiled.builder.seed) : AutoCloseable {
  private val session = Session(compiled.builder.graph)
  private val trueTensor: TBool = TBool.scalarOf(true)
  private var closed = false

  /** Updates done so far over the whole run (restored from checkpoints). */
  var step: Long = 0
    private set

  /** Epochs done so far over the whole run (restored from checkpoints). */
  var epoch: Int = 0
    private set

  /** No progress bar and no epoch lines. */
  var quiet: Boolean = false

  init {
    try {
      load(compiled.variables.all.associate { it.path to it.initial })
    } catch (e: Throwable) {
      close()
      throw e
    }
  }

  /**
   * Trains for [epochs] more epochs (numbering continues after a restore). Validation, if given,
   * runs after each epoch and adds "val_" keys. With [checkpoint], the state is saved there after
   * each epoch. A NaN or infinite loss throws [NonFiniteLossException]; the checkpoint keeps the
   * last good epoch.
   */
  @JvmOverloads
  fun fit(
    train: Dataset,
    validation: Dataset? = null,
    epochs: Int = 1,
    batchSize: Int = 32,
    callbacks: List<Callback> = emptyList(),
    checkpoint: Path? = null,
    shuffle: Boolean = true,
  ): History {
    checkOpen()
    require(epochs >= 1) { "epochs must be >= 1, got $epochs" }
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    val optimizer = checkNotNull(compiled.optimizer) { "this graph was compiled without an optimizer: it cannot be trained" }
    val target = compiled.trainTarget!!
    require(train.size > 0) { "the training dataset is empty" }
    // fail before training starts if the data does not fit the inputs
    checkBatch(train.batch(intArrayOf(0)), compiled.inputs)
    validation?.let { require(it.size > 0) { "the validation dataset is empty" }; checkBatch(it.batch(intArrayOf(0)), compiled.inputs) }

    val history = History()
    var stop = false
    val control = object : TrainingControl {
      override fun stopTraining() { stop = true }
      override val stopRequested get() = stop
      override fun save(path: Path) = this@Trainer.save(path)
    }
    val progress = Progress(quiet)
    val lastEpoch = epoch + epochs
    val stepsPerEpoch = (train.size + batchSize - 1) / batchSize
    callbacks.forEach { it.onTrainBegin(control) }
    try {
      for (i in 0 until epochs) {
        val number = epoch + 1
        callbacks.forEach { it.onEpochBegin(number, control) }
        progress.epochBegin(number, lastEpoch, stepsPerEpoch)
        val acc = StatsAccumulator(compiled.metricNames)
        val batches = train.batches(batchSize, shuffle, seed, epoch, false)
        var index = 0
        try {
          while (!stop && batches.hasNext()) {
            val batch = batches.next()
            val lr = optimizer.schedule.at(step)
            val t0 = System.nanoTime()
            val stats = runStats(batch, training = true, learningRate = lr, target = target)
            val millis = (System.nanoTime() - t0) / 1e6
            step++
            val loss = stats[0].toDouble()
            if (!loss.isFinite()) throw NonFiniteLossException(step, number, loss)
            acc.add(stats, batch.size)
            history.addStep(millis, batch.size)
            progress.batchEnd(index + 1, acc.loss(), batch.size / (millis / 1000))
            val result = BatchResult(step, number, index, batch.size, loss, millis)
            callbacks.forEach { it.onBatchEnd(result, control) }
            index++
          }
        } finally {
          (batches as? AutoCloseable)?.close()
        }
        val logs = LinkedHashMap(acc.logs())
        if (validation != null) evaluate(validation, batchSize).forEach { (k, v) -> logs["val_$k"] = v }
        epoch++
        history.addEpoch(epoch, logs)
        checkpoint?.let { save(it) }
        progress.epochEnd(epoch, lastEpoch, index, logs)
        callbacks.forEach { it.onEpochEnd(epoch, logs, control) }
        if (stop) break
      }
    } finally {
      progress.close()
    }
    callbacks.forEach { it.onTrainEnd(history) }
    return history
  }

  /** The loss and metrics over [dataset] in inference mode (no dropout, moving statistics), in order. */
  fun evaluate(dataset: Dataset, batchSize: Int): Map<String, Double> {
    checkOpen()
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(dataset.size > 0) { "the dataset to evaluate is empty" }
    val acc = StatsAccumulator(compiled.metricNames)
    val batches = dataset.batches(batchSize, false, seed, 0, false)
    try {
      while (batches.hasNext()) {
        val batch = batches.next()
        acc.add(runStats(batch, training = false, learningRate = 0.0, target = null), batch.size)
      }
    } finally {
      (batches as? AutoCloseable)?.close()
    }
    return acc.logs()
  }

  /**
   * The named [output] for every example of [dataset], in order, in inference mode: shape
   * [size] + the output's per-example shape. Only the inputs in [inputs] are fed (TensorFlow prunes
   * the rest of the graph), so an embedding needs just its image.
   */
  fun predict(dataset: Dataset, batchSize: Int, output: String, inputs: List<String>): FloatHostArray {
    checkOpen()
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    val op = compiled.outputs[output] ?: throw IllegalArgumentException("the graph has no output '$output'; it has ${compiled.outputs.keys}")
    val specs = inputs.map { compiled.input(it) }
    val parts = mutableListOf<FloatArray>()
    var rowShape: IntArray? = null
    var rows = 0
    val batches = dataset.batches(batchSize, false, seed, 0, false)
    try {
      while (batches.hasNext()) {
        val batch = batches.next()
        val tensors = ArrayList<Tensor>(specs.size)
        try {
          val runner = session.runner()
          feedInputs(runner, batch, specs, tensors)
          runner.fetch(op).run().use { r ->
            val t = r.get(0) as TFloat32
            val dims = t.shape().asArray()
            rowShape = IntArray(dims.size - 1) { dims[it + 1].toInt() }
            parts += Tensors.read(t)
          }
        } finally {
          tensors.forEach { it.close() }
        }
        rows += batch.size
      }
    } finally {
      (batches as? AutoCloseable)?.close()
    }
    val out = FloatArray(parts.sumOf { it.size })
    var at = 0
    parts.forEach { System.arraycopy(it, 0, out, at, it.size); at += it.size }
    return FloatHostArray(out, intArrayOf(rows) + (rowShape ?: IntArray(0)))
  }

  /**
   * Fetches the named [outputs] for one [batch] without updating anything, feeding the graph's
   * inputs that the batch has. With [training] the forward pass runs as in a training step
   * (dropout on, batch statistics) with the random seed of the next step. For inspection, tests
   * and notebooks; values come back with their full shapes.
   */
  @JvmOverloads
  fun run(batch: Batch, outputs: List<String>, training: Boolean = false): Map<String, FloatHostArray> {
    checkOpen()
    val ops = outputs.map { compiled.outputs[it] ?: throw IllegalArgumentException("the graph has no output '$it'; it has ${compiled.outputs.keys}") }
    val b = compiled.builder
    val tensors = ArrayList<Tensor>()
    try {
      val runner = session.runner()
      feedInputs(runner, batch, compiled.inputs.filter { it.name in batch.arrays }, tensors)
      if (training) {
        val seedT = TInt64.vectorOf(seed, step).also { tensors += it }
        runner.feed(b.trainingFlag, trueTensor).feed(b.stepSeed, seedT)
      }
      ops.forEach { runner.fetch(it) }
      runner.run().use { r ->
        return outputs.indices.associate { i ->
          val t = r.get(i) as TFloat32
          outputs[i] to FloatHostArray(Tensors.read(t), t.shape().asArray().map { it.toInt() }.toIntArray())
        }
      }
    } finally {
      tensors.forEach { it.close() }
    }
  }

  /** The current state: every variable and the counters. */
  fun checkpoint(): Checkpoint {
    checkOpen()
    val entries = compiled.variables.all
    val runner = session.runner()
    entries.forEach { runner.fetch(it.variable) }
    val values = LinkedHashMap<String, Checkpoint.Tensor>()
    runner.run().use { r ->
      entries.forEachIndexed { i, e -> values[e.path] = Checkpoint.Tensor(e.shape, Tensors.read(r.get(i) as TFloat32)) }
    }
    return Checkpoint(step, epoch, values)
  }

  /** Writes [checkpoint] atomically to [path]. */
  fun save(path: Path) = checkpoint().write(path)

  /** Loads a checkpoint written by a model of the same structure: every variable, the step and epoch counters. */
  fun restore(path: Path) = restore(Checkpoint.read(path))

  fun restore(checkpoint: Checkpoint) {
    checkOpen()
    val entries = compiled.variables.all
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
    load(entries.associate { it.path to checkpoint.values.getValue(it.path).data })
    step = checkpoint.step
    epoch = checkpoint.epoch
  }

  private fun load(values: Map<String, FloatArray>) {
    val entries = compiled.variables.all
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

  /** Feeds the arrays of [batch] named by [specs], collecting the tensors made so the caller closes them. */
  private fun feedInputs(runner: Session.Runner, batch: Batch, specs: List<InputSpec>, tensors: MutableList<Tensor>) {
    for (s in specs) {
      val t = Tensors.of(hostInput(batch, s))
      tensors += t
      runner.feed(s.placeholder, t)
    }
  }

  /** One Session.run: feeds the batch (and, in training, the flag, learning rate, step and seed), fetches the stats vector. */
  private fun runStats(batch: Batch, training: Boolean, learningRate: Double, target: org.tensorflow.op.Op?): FloatArray {
    val b = compiled.builder
    val tensors = ArrayList<Tensor>(compiled.inputs.size + 3)
    try {
      val runner = session.runner()
      feedInputs(runner, batch, compiled.inputs, tensors)
      val lr = TFloat32.scalarOf(learningRate.toFloat()).also { tensors += it }
      val stepT = TFloat32.scalarOf((step + 1).toFloat()).also { tensors += it }
      runner.feed(b.learningRate, lr).feed(b.stepNumber, stepT)
      if (training) {
        val seedT = TInt64.vectorOf(seed, step).also { tensors += it }
        runner.feed(b.trainingFlag, trueTensor).feed(b.stepSeed, seedT)
      }
      if (target != null) runner.addTarget(target)
      return runner.fetch(compiled.stats).run().use { r -> Tensors.read(r.get(0) as TFloat32) }
    } finally {
      tensors.forEach { it.close() }
    }
  }

  override fun close() {
    if (closed) return
    closed = true
    trueTensor.close()
    session.close()
    compiled.builder.graph.close()
  }

  private fun checkOpen() = check(!closed) { "this model is closed" }

  internal companion object {
    /** Checks that [batch] has an array of the right type and shape for every input. */
    fun checkBatch(batch: Batch, inputs: List<InputSpec>) {
      inputs.forEach { hostInput(batch, it) }
    }

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
        s.type == ElementType.FLOAT && a is FloatHostArray -> if (fits && perExample.contentEquals(s.shape)) a else FloatHostArray(a.data, rowShape)
        s.type == ElementType.FLOAT && a is IntHostArray -> FloatHostArray(FloatArray(a.data.size) { a.data[it].toFloat() }, rowShape)
        s.type == ElementType.INT && a is IntHostArray -> if (perExample.contentEquals(s.shape)) a else IntHostArray(a.data, rowShape)
        else -> throw IllegalArgumentException("array '${s.name}' holds floats but the input '${s.name}' expects ints")
      }
    }
  }
}

/** Sums a run's stats vectors: the loss weighted by batch size, each metric's sum and count. */
internal class StatsAccumulator(private val names: List<String>) {
  private var lossSum = 0.0
  private var examples = 0L
  private val sums = DoubleArray(names.size)
  private val counts = DoubleArray(names.size)

  fun add(stats: FloatArray, size: Int) {
    lossSum += stats[0].toDouble() * size
    examples += size
    for (i in names.indices) {
      sums[i] += stats[1 + 2 * i].toDouble()
      counts[i] += stats[2 + 2 * i].toDouble()
    }
  }

  fun loss(): Double = if (examples == 0L) Double.NaN else lossSum / examples

  fun logs(): Map<String, Double> {
    val m = LinkedHashMap<String, Double>()
    m["loss"] = loss()
    names.forEachIndexed { i, n -> m[n] = if (counts[i] > 0) sums[i] / counts[i] else Double.NaN }
    return m
  }
}
