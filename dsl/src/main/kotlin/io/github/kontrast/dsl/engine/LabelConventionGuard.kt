package io.github.kontrast.dsl.engine

import io.github.kontrast.losses.PairConvention
import java.util.Locale

/**
 * Warns when pair labels seem to be read with the opposite convention, the mistake the sources
 * invite (Keras' own example and document 001 write 1 = similar, Hadsell, document 003 and
 * Wolfram 1 = dissimilar). At the end of a run's first epoch it compares the epoch's mean distance
 * of the pairs the pipeline calls similar ([positiveKey]) with that of the dissimilar ones
 * ([negativeKey]), metrics the pipeline computes anyway, so the guard costs nothing per step.
 * Similar pairs further apart than dissimilar ones (less similar, for a similarity) mean the
 * labels fight the data: the warning names [convention] and the one the data seems to follow.
 * It does not stop training.
 *
 * Only epoch 1 of a run is checked: a restored run has passed it, and later epochs of a model
 * trained on flipped labels can look right, having learnt the flipped task.
 */
class LabelConventionGuard @JvmOverloads constructor(
  /** The convention the loss reads the labels with, named in the warning. */
  val convention: PairConvention,
  /** True when the metrics hold a similarity (cosine), where similar pairs should score higher. */
  val higherIsSimilar: Boolean = false,
  /** The epoch log key of the similar pairs' mean distance (or similarity). */
  val positiveKey: String = "mean_positive_distance",
  /** The epoch log key of the dissimilar pairs' mean distance (or similarity). */
  val negativeKey: String = "mean_negative_distance",
  private val warn: (String) -> Unit = { System.err.println(it) },
) : Callback() {
  /** The warning given in this run, or null. */
  var warning: String? = null
    private set

  /** Clears [warning] at the start of each fit. */
  override fun onTrainBegin(control: TrainingControl) {
    warning = null
  }

  override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {
    if (epoch != 1) return
    val positive = logs[positiveKey] ?: return
    val negative = logs[negativeKey] ?: return
    // NaN (a batch with no pair of one kind) compares false: no warning without evidence
    val flipped = if (higherIsSimilar) positive < negative else positive > negative
    if (!flipped) return
    val other = if (convention == PairConvention.ONE_MEANS_SIMILAR) PairConvention.ONE_MEANS_DISSIMILAR else PairConvention.ONE_MEANS_SIMILAR
    val measure = if (higherIsSimilar) "less similar on average" else "further apart on average"
    val message = String.format(
      Locale.ROOT,
      "kontrast: warning: in epoch 1 the pairs labelled similar under %s (%s) were %s (%s %.4f) than those labelled dissimilar (%.4f). " +
        "The labels seem to follow %s (%s): check the loss's convention.",
      convention, meaning(convention), measure, positiveKey, positive, negative, other, meaning(other),
    )
    warning = message
    warn(message)
  }

  private fun meaning(c: PairConvention) = if (c == PairConvention.ONE_MEANS_SIMILAR) "label 1 = similar" else "label 1 = dissimilar"
}
