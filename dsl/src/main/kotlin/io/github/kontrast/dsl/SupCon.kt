package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.SupConBuilder
import io.github.kontrast.dsl.pipeline.SupConModel

/**
 * Builds a supervised contrastive (SupCon) model declaratively; its batches carry view1, view2
 * and the class labels:
 * ```
 * val model = supCon {
 *   seed = 42
 *   trainingSteps = epochs * stepsPerEpoch
 *   loss = supConLoss(temperature = 0.1f)
 * }
 * ```
 * Everything left out takes [SupConBuilder]'s default.
 */
fun supCon(block: SupConBuilder.() -> Unit): SupConModel = SupConBuilder().apply(block).build()
