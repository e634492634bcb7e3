package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.LayerNorm
import io.github.kontrast.dsl.layers.MaskedMeanPooling
import io.github.kontrast.dsl.layers.Padding
import io.github.kontrast.dsl.layers.PositionalEmbedding
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.TransformerBlock

/** The small towers `clip { }` uses when none is given: fast on a CPU, enough for emoji and digits. */
object ClipEncoders {
  /** Three 3x3 convolution blocks (32, 64, 128 filters, relu, same padding, 2x2 max pooling), global average pooling, Dense(128, relu). */
  @JvmStatic
  fun image(): Sequential = Sequential.builder()
    .name("image_encoder")
    .conv2d(32, 3, Activations.relu, padding = Padding.SAME).maxPool(2)
    .conv2d(64, 3, Activations.relu, padding = Padding.SAME).maxPool(2)
    .conv2d(128, 3, Activations.relu, padding = Padding.SAME).maxPool(2)
    .globalAveragePooling()
    .dense(128, Activations.relu)
    .build()

  /**
   * Word embeddings of [width] for [vocabularySize] ids, learned positions, [blocks] pre-norm
   * transformer blocks ([heads] heads, MLP of 2 x [width]), a final layer norm and masked mean pooling.
   */
  @JvmStatic
  @JvmOverloads
  fun text(vocabularySize: Int, width: Int = 64, heads: Int = 4, blocks: Int = 1): Sequential {
    require(blocks >= 1) { "blocks must be >= 1, got $blocks" }
    val b = Sequential.builder().name("text_encoder").embedding(vocabularySize, width).add(PositionalEmbedding())
    repeat(blocks) { b.add(TransformerBlock(heads, 2 * width)) }
    return b.add(LayerNorm()).add(MaskedMeanPooling()).build()
  }
}
