package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.SimSiamBuilder
import io.github.kontrast.dsl.pipeline.SimSiamModel

/**
 * Builds a SimSiam model declaratively:
 * ```
 * val model = simsiam {
 *   seed = 42
 *   trainingSteps = epochs * stepsPerEpoch
 *   stopGradient = true      // false: the collapse demonstration
 * }
 * ```
 * Everything left out takes [SimSiamBuilder]'s default.
 */
fun simsiam(block: SimSiamBuilder.() -> Unit): SimSiamModel = SimSiamBuilder().apply(block).build()
