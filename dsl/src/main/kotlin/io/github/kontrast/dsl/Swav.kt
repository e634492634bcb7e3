package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.SwavBuilder
import io.github.kontrast.dsl.pipeline.SwavModel

/**
 * Builds a SwAV model declaratively:
 * ```
 * val model = swav {
 *   seed = 42
 *   trainingSteps = epochs * stepsPerEpoch
 *   prototypes = 30
 *   loss = swavLoss(temperature = 0.1f, epsilon = 0.05f)
 * }
 * ```
 * Everything left out takes [SwavBuilder]'s default.
 */
fun swav(block: SwavBuilder.() -> Unit): SwavModel = SwavBuilder().apply(block).build()
