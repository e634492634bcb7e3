package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.ClipBuilder
import io.github.kontrast.dsl.pipeline.ClipModel

/**
 * Builds a CLIP model declaratively (document 004):
 * ```
 * val model = clip {
 *   image { input(32, 32, 3); encoder { conv2d(32, 3, activation = relu, padding = Padding.SAME); maxPool(2); globalAveragePooling() }; projection(64) }
 *   text { tokenizer = Tokenizer.fit(captions, maxLength = 12); encoder { embedding(vocabularySize, 64); positionalEmbedding(); transformerBlock(4, 128); maskedMeanPooling() }; projection(64) }
 * }
 * ```
 * Everything left out takes [ClipBuilder]'s default.
 */
fun clip(block: ClipBuilder.() -> Unit): ClipModel = ClipBuilder().apply(block).build()
