package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.SiameseBuilder
import io.github.kontrast.dsl.pipeline.SiameseModel

/**
 * Builds a Siamese model declaratively:
 * ```
 * val model = siamese {
 *   seed = 42
 *   input(28, 28, 1)
 *   encoder { conv2d(128, 2, activation = relu); maxPool(2); dropout(0.4); globalAveragePooling(); dense(128) }
 *   loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
 *   optimizer = adam(1e-3)
 *   threshold = 0.5f
 * }
 * ```
 * Everything left out takes [SiameseBuilder]'s default: document 001's input and encoder, and the
 * library's `ContrastiveLoss.create()` (no 1/2 factor; document 001 asks for it, as above).
 */
fun siamese(block: SiameseBuilder.() -> Unit): SiameseModel = SiameseBuilder().apply(block).build()
