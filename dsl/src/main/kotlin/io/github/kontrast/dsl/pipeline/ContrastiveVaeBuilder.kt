package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention

/**
 * Configures a [ContrastiveVae]. Kotlin: the receiver of `contrastiveVae { ... }`; Java: fluent
 * methods (`ContrastiveVae.builder().latentDim(2).klWeight(1.0 / 784).contrastive(...).build()`).
 * The shared settings (seed, input, encoder, optimizer, verbosity) come from [PipelineBuilder].
 *
 * Defaults: input 28x28x1; [Encoders.mnistVaeEncoder] and [Encoders.mnistVaeDecoder]; 2 latent
 * dimensions (so the latent space can be drawn); [klWeight] 1 / (pixels per image): the KL
 * against the reconstruction's per-pixel mean weighs as the ELBO of a Gaussian decoder with
 * variance 1/2 does (the squared error summed over pixels against the KL); no contrastive term;
 * Adam(1e-3).
 */
class ContrastiveVaeBuilder : PipelineBuilder<ContrastiveVaeBuilder, ContrastiveVae>(intArrayOf(28, 28, 1), ContrastiveVae.ENCODER) {
  /** Size of the latent space (default 2, so that it can be drawn). */
  var latentDim: Int = 2

  /** The decoder; null: [Encoders.mnistVaeDecoder]. */
  var decoder: Sequential? = null

  /** Beta, the KL term's weight; null: 1 / (pixels per image). 0 is the document's loop: no KL. */
  var klWeight: Double? = null

  /** The contrastive loss on latent pairs; null for none. */
  var contrastive: ContrastiveLoss? = null

  /** The weight of the contrastive term (default 1). */
  var contrastiveWeight: Double = 1.0

  /** Sets [latentDim]. */
  fun latentDim(latentDim: Int): ContrastiveVaeBuilder = apply { this.latentDim = latentDim }

  /** Sets [decoder], the network from a latent vector to an image. */
  fun decoder(decoder: Sequential): ContrastiveVaeBuilder = apply { this.decoder = decoder }

  /** Kotlin: `decoder { dense(7 * 7 * 32, activation = relu); reshape(7, 7, 32); ... }`. */
  fun decoder(block: SequentialBuilder.() -> Unit): ContrastiveVaeBuilder =
    decoder(SequentialBuilder().apply { name = ContrastiveVae.DECODER }.apply(block).build())

  /** Sets [klWeight], beta (>= 0). */
  fun klWeight(weight: Double): ContrastiveVaeBuilder = apply { this.klWeight = weight }

  /** The contrastive term: [loss] on (z1, z2) and the pair labels, times [weight]. */
  @JvmOverloads
  fun contrastive(loss: ContrastiveLoss, weight: Double = 1.0): ContrastiveVaeBuilder = apply {
    contrastive = loss
    contrastiveWeight = weight
  }

  /**
   * Document 003's contrastive loss, `contrastive = documentContrastive()`: label 1 = dissimilar,
   * margin 1, no 1/2, Euclidean distance (PyTorch's pairwise_distance), the mean over pairs.
   */
  @JvmOverloads
  fun documentContrastive(margin: Float = 1f): ContrastiveLoss =
    ContrastiveLoss.create().withConvention(PairConvention.ONE_MEANS_DISSIMILAR).withMargin(margin)

  override fun build(): ContrastiveVae {
    require(latentDim > 0) { "latentDim must be > 0, got $latentDim" }
    val beta = klWeight ?: (1.0 / inputShape.fold(1) { a, b -> a * b })
    require(beta.isFinite() && beta >= 0) { "klWeight must be finite and >= 0, got $beta" }
    require(contrastiveWeight.isFinite() && contrastiveWeight >= 0) { "contrastiveWeight must be finite and >= 0, got $contrastiveWeight" }
    return ContrastiveVae(
      settings(),
      encoder ?: Encoders.mnistVaeEncoder(),
      decoder ?: Encoders.mnistVaeDecoder(),
      inputShape,
      latentDim,
      beta,
      contrastive,
      contrastiveWeight,
    )
  }
}
