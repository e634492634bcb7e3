package io.github.kontrast.samples.bench

/**
 * What [runSiameseBenchmark] measured: the same document-001 training step as a hand-written
 * TensorFlow Java graph and through Kontrast's engine, and the engine's overhead.
 *
 * @property handWritten full steps of the hand-written loop (batch copy, tensors, Session.run, loss read)
 * @property engine full steps of `model.fit` (the time between consecutive batch-end callbacks: batch
 *   gather, schedule, tensors, Session.run, statistics, progress)
 * @property engineRunOnly the engine's own per-step figure ([io.github.kontrast.dsl.engine.BatchResult.millis]),
 *   its Session.run with tensor creation and stats fetch, for telling graph cost from loop cost
 * @property engineWait the time each engine step took to get its batch from the dataset's iterator
 */
class BenchmarkResult(
  val batchSize: Int,
  val warmupSteps: Int,
  val handWritten: StepTimes,
  val engine: StepTimes,
  val engineRunOnly: StepTimes,
  val engineWait: StepTimes,
) {
  /** How much longer the engine's median step is than the hand-written one, in percent. */
  val overheadPercent: Double get() = (engine.median / handWritten.median - 1.0) * 100.0

  override fun toString(): String = buildString {
    appendLine("Siamese step, document 001's CNN, batch $batchSize pairs of 28x28x1, Adam 1e-3 ($warmupSteps warm-up steps not counted)")
    appendLine("  hand-written TF Java graph: $handWritten")
    appendLine("  Kontrast engine (fit):      $engine")
    appendLine("    of which Session.run:     $engineRunOnly")
    appendLine("    getting the batch:        $engineWait")
    append("  engine overhead (medians):  %+.1f %%".format(overheadPercent))
  }
}
