package io.github.kontrast.dsl

import io.github.kontrast.dsl.pipeline.ContrastiveVae
import io.github.kontrast.dsl.pipeline.ContrastiveVaeBuilder

/**
 * Builds a (contrastive) variational autoencoder on pairs declaratively (document 003):
 * ```
 * val vae = contrastiveVae {
 *   seed = 42
 *   latentDim = 2
 *   contrastive = documentContrastive()    // label 1 = dissimilar, margin 1; leave out for a plain VAE
 *   contrastiveWeight = 0.1
 * }
 * ```
 * Everything left out takes [ContrastiveVaeBuilder]'s default: 28x28x1, a small convolutional
 * encoder and decoder, beta = 1 / 784.
 */
fun contrastiveVae(block: ContrastiveVaeBuilder.() -> Unit): ContrastiveVae = ContrastiveVaeBuilder().apply(block).build()
