package io.github.kontrast.dsl.data

import java.util.SplittableRandom

/**
 * A batch-level transform (an augmentation, a normalisation, drawing two views of one batch).
 * It gets its own [random], seeded from (transform seed, epoch seed, epoch, batch number), so
 * an augmentation is repeatable and a resumed run sees the same augmented batches. It runs on a
 * background thread: it must not touch state shared with the caller, apart from reading.
 */
fun interface BatchTransform {
  /** The transformed batch; [random] is this batch's own generator, the only source of randomness to use. */
  fun apply(batch: Batch, random: SplittableRandom): Batch
}
