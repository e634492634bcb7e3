package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.SimClrBuilder
import io.github.kontrast.dsl.pipeline.SimClrModel

/**
 * Builds a SimCLR model declaratively:
 * ```
 * val model = simclr {
 *   seed = 42
 *   input(28, 28, 1)
 *   encoder { conv2d(32, 3, activation = relu); maxPool(2); flatten(); dense(128, activation = relu) }
 *   projector = mlp(hidden = 128, output = 64)
 *   loss = ntXent(temperature = 0.5f)
 *   trainingSteps = epochs * stepsPerEpoch   // Adam with warmup + cosine over them
 * }
 * model.fit(views, epochs = 10, batchSize = 256)  // batches with view1 and view2
 * model.embed(test.images)                        // the encoder's h, the projector dropped
 * ```
 * Everything left out takes [SimClrBuilder]'s default.
 */
fun simclr(block: SimClrBuilder.() -> Unit): SimClrModel = SimClrBuilder().apply(block).build()
