package io.github.kontrast.dsl.metrics

import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32

/**
 * A metric over a pipeline's outputs [O] (a Siamese pipeline gives [PairOutputs]). Each batch
 * contributes a sum and a count; the epoch's value is the total sum over the total count, so a
 * metric over a subset (positive pairs only) is weighted correctly across batches of any mix.
 */
interface Metric<in O> {
  /** The history key, e.g. "pair_accuracy" (validation adds "val_"). */
  val name: String

  /** The ops computing this batch's sum and count from [outputs], built once into the pipeline's graph. */
  fun build(tf: Ops, outputs: O): MetricTensors
}

/**
 * A metric's per-batch sum and count, both float scalars.
 *
 * @property sum the batch's total, e.g. the number of pairs decided correctly.
 * @property count what [sum] is over, e.g. the number of pairs in the batch; the epoch's value is total sum / total count.
 */
class MetricTensors(val sum: Operand<TFloat32>, val count: Operand<TFloat32>)
