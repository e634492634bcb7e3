package io.github.kontrast.dsl.engine

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.HostArray
import io.github.kontrast.dsl.distributed.CollectiveServer
import org.tensorflow.Session
import org.tensorflow.Tensor
import org.tensorflow.types.TFloat32
import java.io.PrintStream
import java.nio.file.Path

/**
 * Runs a [CompiledGraph] in one Session: the training loop (one Session.run per step, fetching
 * only the stats vector), evaluation, prediction and inspection runs. Feeding batches is
 * [BatchFeeder]'s, moving variable values [CheckpointIO]'s. Counters (updates done, epochs done)
 * live here and in checkpoints. Closing it closes its session, not the graph: that belongs to the
 * [CompiledGraph], which whoever compiled it closes.
 *
 * Repeatability: weights come from the seed, the batch order of epoch e from (seed, e), dropout
 * masks from (seed, step); on CPU the same seed gives the same losses bit for bit.
 *
 * @property compiled the graph this trainer runs: the model, its loss, metrics and optimizer.
 * @property seed the seed of the batch order and the dropout masks; by default the graph builder's seed.
 * @property sessionConfig the session's options (GPU memory growth, visible GPUs, placement); when
 *   it names a GPU, the trainer first checks that TensorFlow has it ([Devices.check]).
 */
class Trainer @JvmOverloads constructor(
  val compiled: CompiledGraph,
  val seed: Long = compiled.builder.seed,
  val sessionConfig: SessionConfig = SessionConfig.DEFAULT,
) : AutoCloseable {
  private val session = run {
    Devices.check(sessionConfig)?.let { System.err.println("kontrast: $it") }
    // a data-parallel graph runs on this process's TensorFlow server, where its collectives meet the other workers'
    if (compiled.builder.collectives != null) CollectiveServer.openSession(compiled.graph) else Session(compiled.graph, sessionConfig.toConfigProto())
  }
  private val feeder = BatchFeeder(compiled, seed)
  private val io = CheckpointIO(session, compiled.variables)
  private var closed = false

  /** Updates done so far over the whole run (restored from checkpoints). */
  var step: Long = 0
    private set

  /** Epochs done so far over the whole run (restored from checkpoints). */
  var epoch: Int = 0
    private set

  /** What fit prints. */
  var verbosity: Verbosity = Verbosity.PROGRESS_BAR

  /** Shorthand: true = [Verbosity.EPOCHS] (epoch lines, no progress bar), false = [Verbosity.PROGRESS_BAR]. */
  var quiet: Boolean
    get() = verbosity != Verbosity.PROGRESS_BAR
    set(value) { verbosity = if (value) Verbosity.EPOCHS else Verbosity.PROGRESS_BAR }

  /** What one example is, for throughput in the progress line and History: "pairs", "images". */
  var unit: String = "examples"

  /** Where fit prints. */
  internal var out: PrintStream = System.out

  init {
    try {
      io.initialize()
    } catch (e: Throwable) {
      close()
      throw e
    }
  }

  /**
   * Trains for [epochs] more epochs (numbering continues after a restore). Validation, if given,
   * runs after each epoch and adds "val_" keys. With [checkpoint], the state is saved there after
   * each epoch. A NaN or infinite loss throws [NonFiniteLossException]; the checkpoint keeps the
   * last good epoch. With [dropLast] a last batch smaller than [batchSize] is skipped, in training
   * and validation (a graph built for one static batch size).
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
    dropLast: Boolean = false,
  ): History {
    checkOpen()
    require(epochs >= 1) { "epochs must be >= 1, got $epochs" }
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    val optimizer = checkNotNull(compiled.optimizer) { "this graph was compiled without an optimizer: it cannot be trained" }
    val target = compiled.trainTarget!!
    require(train.size > 0) { "the training dataset is empty" }
    // fail before training starts if the data does not fit the inputs
    feeder.check(train.batch(intArrayOf(0)))
    validation?.let { require(it.size > 0) { "the validation dataset is empty" }; feeder.check(it.batch(intArrayOf(0))) }

    val history = History(unit)
    var stop = false
    val control = object : TrainingControl {
      override fun stopTraining() { stop = true }
      override val stopRequested get() = stop
      override fun save(path: Path) = this@Trainer.save(path)
    }
    val progress = Progress(verbosity, unit, compiled.lossTermKeys, out)
    val lastEpoch = epoch + epochs
    val stepsPerEpoch = if (dropLast) train.size / batchSize else (train.size + batchSize - 1) / batchSize
    // in data-parallel training a step trains every worker's batch: the throughput is the group's
    val workers = compiled.builder.collectives?.size ?: 1
    callbacks.forEach { it.onTrainBegin(control) }
    try {
      for (i in 0 until epochs) {
        val number = epoch + 1
        callbacks.forEach { it.onEpochBegin(number, control) }
        progress.epochBegin(number, lastEpoch, stepsPerEpoch)
        val acc = StatsAccumulator(compiled.lossTermKeys, compiled.metricNames)
        val batches = train.batches(batchSize, shuffle, seed, epoch, dropLast)
        var index = 0
        var examples = 0L
        var stepMillis = 0.0
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
            history.addStep(millis, batch.size * workers)
            examples += batch.size * workers
            stepMillis += millis
            progress.batchEnd(index + 1, acc, batch.size * workers / (millis / 1000))
            val result = BatchResult(step, number, index, batch.size, loss, millis)
            callbacks.forEach { it.onBatchEnd(result, control) }
            index++
          }
        } finally {
          (batches as? AutoCloseable)?.close()
        }
        val logs = LinkedHashMap(acc.logs())
        if (validation != null) evaluate(validation, batchSize, dropLast).forEach { (k, v) -> logs["val_$k"] = v }
        for (c in callbacks) for ((k, v) in c.epochValues(number)) {
          require(k !in logs) { "callback ${c.javaClass.simpleName} reports '$k', which the epoch has already: ${logs.keys}" }
          logs[k] = v
        }
        epoch++
        history.addEpoch(epoch, logs)
        checkpoint?.let { save(it) }
        progress.epochEnd(epoch, lastEpoch, index, examples, stepMillis, logs)
        callbacks.forEach { it.onEpochEnd(epoch, logs, control) }
        if (stop) break
      }
    } finally {
      progress.close()
    }
    callbacks.forEach { it.onTrainEnd(history) }
    return history
  }

  /**
   * The loss (and its terms) and metrics over [dataset] in inference mode (no dropout, moving
   * statistics), in order; with [dropLast], over its full batches only.
   */
  @JvmOverloads
  fun evaluate(dataset: Dataset, batchSize: Int, dropLast: Boolean = false): Map<String, Double> {
    checkOpen()
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(dataset.size > 0) { "the dataset to evaluate is empty" }
    val acc = StatsAccumulator(compiled.lossTermKeys, compiled.metricNames)
    val batches = dataset.batches(batchSize, false, seed, 0, dropLast)
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
   * `[size]` + the output's per-example shape, floats or ints as the output is. Only [inputs] are
   * fed (by default those the output depends on), so an embedding needs just its image.
   */
  @JvmOverloads
  fun predict(dataset: Dataset, batchSize: Int, output: String, inputs: List<String> = compiled.inputsFor(output).map { it.name }): HostArray {
    checkOpen()
    require(batchSize > 0) { "batchSize must be > 0, got $batchSize" }
    require(dataset.size > 0) { "the dataset to predict on is empty" }
    val op = compiled.output(output)
    val specs = inputs.map { compiled.input(it) }
    val parts = mutableListOf<HostArray>()
    val batches = dataset.batches(batchSize, false, seed, 0, false)
    try {
      while (batches.hasNext()) {
        val batch = batches.next()
        val tensors = ArrayList<Tensor>(specs.size)
        try {
          val runner = session.runner()
          feeder.feedInputs(runner, batch, specs, tensors)
          runner.fetch(op).run().use { r -> parts += Tensors.read(r.get(0)) }
        } finally {
          tensors.forEach { it.close() }
        }
      }
    } finally {
      (batches as? AutoCloseable)?.close()
    }
    return Tensors.concat(parts)
  }

  /**
   * Fetches the named [outputs] for one [batch] without updating anything, feeding the graph's
   * inputs that the batch has. With [training] the forward pass runs as in a training step
   * (dropout on, batch statistics) with the random seed of the next step. For inspection, tests
   * and notebooks; values come back with their full shapes, floats or ints as each output is.
   */
  @JvmOverloads
  fun fetch(batch: Batch, outputs: List<String>, training: Boolean = false): Map<String, HostArray> {
    checkOpen()
    val ops = outputs.map { compiled.output(it) }
    val tensors = ArrayList<Tensor>()
    try {
      val runner = session.runner()
      feeder.feedInputs(runner, batch, compiled.inputs.filter { it.name in batch.arrays }, tensors)
      if (training) feeder.feedTraining(runner, step, tensors)
      ops.forEach { runner.fetch(it) }
      runner.run().use { r -> return outputs.indices.associate { i -> outputs[i] to Tensors.read(r.get(i)) } }
    } finally {
      tensors.forEach { it.close() }
    }
  }

  /** [fetch] for float outputs. */
  @JvmOverloads
  fun run(batch: Batch, outputs: List<String>, training: Boolean = false): Map<String, FloatHostArray> =
    fetch(batch, outputs, training).mapValues { (name, a) ->
      a as? FloatHostArray ?: throw IllegalArgumentException("output '$name' holds ints; fetch it with fetch()")
    }

  /** The current state: every variable and the counters. */
  fun checkpoint(): Checkpoint {
    checkOpen()
    return Checkpoint(step, epoch, io.read())
  }

  /** Writes [checkpoint] atomically to [path]. */
  fun save(path: Path) = checkpoint().write(path)

  /** Loads a checkpoint written by a model of the same structure: every variable, the step and epoch counters. */
  fun restore(path: Path) = restore(Checkpoint.read(path))

  /** Loads [checkpoint] into this trainer: every variable, the step and epoch counters. */
  fun restore(checkpoint: Checkpoint) {
    checkOpen()
    io.restore(checkpoint)
    step = checkpoint.step
    epoch = checkpoint.epoch
  }

  /** One Session.run: feeds the batch and the per-run scalars, fetches the stats vector. */
  private fun runStats(batch: Batch, training: Boolean, learningRate: Double, target: org.tensorflow.op.Op?): FloatArray {
    val tensors = ArrayList<Tensor>(compiled.inputs.size + 4)
    try {
      val runner = session.runner()
      feeder.feedInputs(runner, batch, compiled.inputs, tensors)
      feeder.feedStep(runner, step, learningRate, training, tensors)
      if (target != null) runner.addTarget(target)
      return runner.fetch(compiled.stats).run().use { r -> Tensors.read(r.get(0) as TFloat32) }
    } finally {
      tensors.forEach { it.close() }
    }
  }

  /** Releases the TensorFlow session and the batch feeder; closing twice does nothing. */
  override fun close() {
    if (closed) return
    closed = true
    feeder.close()
    session.close()
  }

  private fun checkOpen() = check(!closed) { "this model is closed" }
}

/**
 * Sums a run's stats vectors: the total loss and each term weighted by batch size, each metric's
 * sum and count. Layout: [loss, term keys..., metric sum, metric count, ...].
 */
internal class StatsAccumulator(private val termKeys: List<String>, private val names: List<String>) {
  private val lossSums = DoubleArray(1 + termKeys.size)
  private var examples = 0L
  private val sums = DoubleArray(names.size)
  private val counts = DoubleArray(names.size)

  fun add(stats: FloatArray, size: Int) {
    for (i in lossSums.indices) lossSums[i] += stats[i].toDouble() * size
    examples += size
    val m = lossSums.size
    for (i in names.indices) {
      sums[i] += stats[m + 2 * i].toDouble()
      counts[i] += stats[m + 1 + 2 * i].toDouble()
    }
  }

  /** The mean total loss so far. */
  fun loss(): Double = mean(0)

  /** The mean of loss entry [i] (0 = total, then the terms). */
  fun mean(i: Int): Double = if (examples == 0L) Double.NaN else lossSums[i] / examples

  fun logs(): Map<String, Double> {
    val m = LinkedHashMap<String, Double>()
    m["loss"] = loss()
    termKeys.forEachIndexed { i, k -> m[k] = mean(i + 1) }
    names.forEachIndexed { i, n -> m[n] = if (counts[i] > 0) sums[i] / counts[i] else Double.NaN }
    return m
  }
}
