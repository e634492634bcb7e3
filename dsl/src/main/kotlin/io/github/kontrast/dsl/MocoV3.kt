package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.MocoV3Builder
import io.github.kontrast.dsl.pipeline.MocoV3Model

/**
 * Builds a MoCo v3 model declaratively:
 * ```
 * val model = mocoV3 {
 *   seed = 42
 *   trainingSteps = epochs * stepsPerEpoch   // the momentum's cosine ramp and the warmup + cosine rate
 *   loss = moco(temperature = 0.2f)
 *   queueSize = 4096                          // optional: MoCo v2's queue of negatives
 * }
 * ```
 * Everything left out takes [MocoV3Builder]'s default.
 */
fun mocoV3(block: MocoV3Builder.() -> Unit): MocoV3Model = MocoV3Builder().apply(block).build()
