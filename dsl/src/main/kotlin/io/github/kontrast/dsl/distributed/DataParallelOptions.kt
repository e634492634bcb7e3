package io.github.kontrast.dsl.distributed

import io.github.kontrast.dsl.engine.Callback
import java.nio.file.Path

/**
 * How [DataParallel.fit] trains: [epochs] in all (a resumed run trains the rest), the global batch
 * size [batchSize] that the workers share equally, the [checkpoint]
 * worker 0 writes after each epoch and every worker resumes from, and callbacks run on every
 * worker. Batches are shuffled, each epoch's order drawn from (seed, epoch). Immutable; change it with the `withX` methods.
 *
 * @property epochs the number of epochs of the whole run, counting those a checkpoint already holds.
 * @property batchSize the global batch size: every worker trains on batchSize / workers examples per step.
 * @property checkpoint where worker 0 saves the state after each epoch, and where a restarted run
 *   resumes from (every worker reads it, so it must be on storage they share); null: none.
 * @property callbacks run on every worker after each batch and epoch.
 */
class DataParallelOptions @JvmOverloads constructor(
  val epochs: Int = 1,
  val batchSize: Int = 256,
  val checkpoint: Path? = null,
  val callbacks: List<Callback> = emptyList(),
) {
  init {
    require(epochs >= 1) { "epochs: expected >= 1, got $epochs" }
    require(batchSize >= 1) { "batchSize: expected >= 1, got $batchSize" }
  }

  /** With [epochs] in all. */
  fun withEpochs(epochs: Int) = DataParallelOptions(epochs, batchSize, checkpoint, callbacks)

  /** With the global batch size [batchSize]. */
  fun withBatchSize(batchSize: Int) = DataParallelOptions(epochs, batchSize, checkpoint, callbacks)

  /** With worker 0 checkpointing to [checkpoint] (null: none). */
  fun withCheckpoint(checkpoint: Path?) = DataParallelOptions(epochs, batchSize, checkpoint, callbacks)

  /** With [callbacks] on every worker. */
  fun withCallbacks(callbacks: List<Callback>) = DataParallelOptions(epochs, batchSize, checkpoint, callbacks)
}
