@file:JvmName("SequenceLayers")

package io.github.kontrast.dsl.layers

// The sequence layers (and L2 normalization) in `encoder { }` blocks, e.g. a text encoder:
//   encoder { embedding(tokenizer.vocabularySize, 64); positionalEmbedding(); transformerBlock(4, 128); layerNorm(); maskedMeanPooling() }
// From Java, add them as objects: Sequential.builder().embedding(v, 64).add(new PositionalEmbedding())...

/** Adds a [LayerNorm] on the last axis. */
fun SequentialBuilder.layerNorm(epsilon: Float = 1e-5f, name: String? = null): SequentialBuilder = add(LayerNorm(epsilon, name = name))

/** Adds a learned [PositionalEmbedding] to a sequence. */
fun SequentialBuilder.positionalEmbedding(initializer: Initializer = Initializers.normal(0f, 0.02f), name: String? = null): SequentialBuilder =
  add(PositionalEmbedding(initializer, name))

/** Adds [MultiHeadAttention] (self-attention with the padding mask). */
fun SequentialBuilder.multiHeadAttention(heads: Int, keyDim: Int = 0, name: String? = null): SequentialBuilder =
  add(MultiHeadAttention(heads, keyDim, name = name))

/** Adds a pre-norm [TransformerBlock]. */
fun SequentialBuilder.transformerBlock(
  heads: Int,
  mlpDim: Int,
  activation: Activation = Activations.gelu,
  dropout: Float = 0f,
  name: String? = null,
): SequentialBuilder = add(TransformerBlock(heads, mlpDim, activation, dropout, name = name))

/** Adds [MaskedMeanPooling]: one vector per sequence, padding left out. */
fun SequentialBuilder.maskedMeanPooling(name: String? = null): SequentialBuilder = add(MaskedMeanPooling(name))

/** Adds [L2Normalize]: unit-length vectors. */
fun SequentialBuilder.l2Normalize(name: String? = null): SequentialBuilder = add(L2Normalize(name = name))
