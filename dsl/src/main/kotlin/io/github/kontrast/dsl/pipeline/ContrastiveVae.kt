package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.LabelConventionGuard
import io.github.kontrast.dsl.layers.Dense
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialInstance
import io.github.kontrast.dsl.metrics.MetricTensors
import io.github.kontrast.dsl.metrics.PairMetrics
import io.github.kontrast.dsl.metrics.PairOutputs
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/**
 * A variational autoencoder trained on pairs, with an optional contrastive term on the latent
 * vectors of each pair (document 003). For each image x of a pair ([Batch.FIRST], [Batch.SECOND]):
 *
 * - the [encoder] gives features, and two dense heads the latent mean mu and log-variance
 *   ("z_mean", "z_log_var", [latentDim] numbers each);
 * - the reparameterisation z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) drawn by a stateless
 *   random op seeded per step (a resumed run draws the same noise); in inference z = mu;
 * - the [decoder] maps z back to an image of the input's shape.
 *
 * The loss has named terms, each shown in History as `<term>_loss`:
 * - "reconstruction": the mean squared error per pixel (PyTorch's `F.mse_loss`, as the document),
 *   summed over the two images of the pair;
 * - "kl": KL(N(mu, sigma^2) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar)) per image,
 *   averaged over the batch and summed over the pair, weighted by [klWeight] (beta). Weight 0 is
 *   the document's loop: no KL, an autoencoder with noise, not a VAE; the term is still computed
 *   and shown so that its growth can be watched;
 * - "contrastive" (when [contrastive] is set): the contrastive loss on (z1, z2) with [Batch.LABEL],
 *   weighted by [contrastiveWeight]; with it come the pair metrics mean_positive_distance and
 *   mean_negative_distance, on the distance of the pair's means mu (free of the sampling noise),
 *   and the [labelGuard] that reads them.
 *
 * Metric "mean_log_variance": the mean of logvar over the latent dimensions of the first images,
 * which falls without bound when nothing (no KL) keeps the posterior from collapsing to a point.
 * Outputs for [predict]: [Pipeline.EMBEDDING] (mu of [Batch.FIRST], what [embed] and `export`
 * give), "z_log_var", "reconstruction" (the decoder on z; on mu in inference) and
 * "reconstruction_error" (per image). Throughput is counted in pairs.
 *
 * Built by [ContrastiveVaeBuilder] (`contrastiveVae { ... }` in Kotlin, `ContrastiveVae.builder()` in Java).
 */
class ContrastiveVae internal constructor(
  settings: PipelineSettings,
  /** The encoder up to its features (without the two latent heads). */
  val encoder: Sequential,
  /** The decoder: a latent vector `[latentDim]` to an image of the input's shape. */
  val decoder: Sequential,
  inputShape: IntArray,
  /** Size of the latent space: the numbers of mu, of logvar and of z. */
  val latentDim: Int,
  /** Beta, the weight of the KL term (0: none, the document's loop). */
  val klWeight: Double,
  /** The contrastive loss on the latent pairs, or null for none (a plain VAE on pairs). */
  val contrastive: ContrastiveLoss?,
  /** The weight of the contrastive term (ignored without [contrastive]). */
  val contrastiveWeight: Double,
) : Pipeline(settings, "pairs", graph(encoder, decoder, inputShape.copyOf(), latentDim, klWeight, contrastive, contrastiveWeight)) {
  private val shape = inputShape.copyOf()

  /** Per-example image shape, e.g. [28, 28, 1]. */
  val inputShape: IntArray get() = shape.copyOf()

  override val name: String get() = "contrastive_vae"

  /** The label-convention guard on the latent pair distances; null without a contrastive term. */
  val labelGuard: LabelConventionGuard? = contrastive?.let { LabelConventionGuard(it.convention(), it.distance().isSimilarity()) }

  override fun standingCallbacks(): List<Callback> = listOfNotNull(labelGuard)

  /** The encoder with its "z_mean" head: images to mu, what [embed] computes. */
  fun encoderSummary(): ModelSummary = withMean(encoder, latentDim).summary(shape)

  /** The decoder's layers, shapes and parameter counts for a latent input of [latentDim]. */
  fun decoderSummary(): ModelSummary = decoder.summary(intArrayOf(latentDim))

  override fun summaryRows(): List<ModelSummary.Row> {
    val features = encoder.outputShape(shape)
    return listOf(
      ModelSummary.Row(Batch.FIRST, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
      ModelSummary.Row(Batch.SECOND, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
      ModelSummary.Row(ENCODER, "Sequential, shared", ModelSummary.shape(features), encoder.summary(shape).totalParams),
      ModelSummary.Row(Z_MEAN, "Dense", ModelSummary.shape(intArrayOf(latentDim)), (features[0] + 1L) * latentDim),
      ModelSummary.Row(Z_LOG_VAR, "Dense", ModelSummary.shape(intArrayOf(latentDim)), (features[0] + 1L) * latentDim),
      ModelSummary.Row("z", "Sampling", ModelSummary.shape(intArrayOf(latentDim)), 0),
      ModelSummary.Row(DECODER, "Sequential, shared", ModelSummary.shape(shape), decoderSummary().totalParams),
    )
  }

  override fun summaryTables(): List<ModelSummary> = listOf(encoderSummary(), decoderSummary())

  /** The decoder's image for every [Batch.FIRST] image of [dataset] (from mu: inference mode). */
  @JvmOverloads
  fun reconstruct(dataset: Dataset, batchSize: Int = 64): FloatHostArray = predict(dataset, RECONSTRUCTION, batchSize) as FloatHostArray

  /** The decoder's image for every image of [images] (`[N]` + input shape). */
  @JvmOverloads
  fun reconstruct(images: FloatHostArray, batchSize: Int = 64): FloatHostArray =
    reconstruct(io.github.kontrast.dsl.data.ArrayDataset(mapOf(Batch.FIRST to images)), batchSize)

  /** The mean squared error per pixel between each image of [images] and its reconstruction from mu, averaged over the images. */
  @JvmOverloads
  fun reconstructionError(images: FloatHostArray, batchSize: Int = 64): Double =
    (predict(io.github.kontrast.dsl.data.ArrayDataset(mapOf(Batch.FIRST to images)), RECONSTRUCTION_ERROR, batchSize) as FloatHostArray).data.average()

  override fun toString(): String =
    "ContrastiveVae(input=${ModelSummary.shape(shape)}, latent=$latentDim, klWeight=$klWeight, contrastive=${contrastive ?: "none"}, weight=$contrastiveWeight)"

  companion object {
    /** The encoder's name: its variables' scope and its row in the summary. */
    const val ENCODER = "encoder"

    /** The decoder's name: its variables' scope and its row in the summary. */
    const val DECODER = "decoder"

    /** The latent mean head (a linear Dense of [latentDim]) and its name in the summary. */
    const val Z_MEAN = "z_mean"

    /** The latent log-variance head and output, `[N, latentDim]`. */
    const val Z_LOG_VAR = "z_log_var"

    /** The output holding the decoder's image of each first image (from z in training, mu in inference). */
    const val RECONSTRUCTION = "reconstruction"

    /** The output holding each first image's reconstruction error, its mean squared error per pixel: `[N]`. */
    const val RECONSTRUCTION_ERROR = "reconstruction_error"

    /** The metric: the mean of logvar over the latent dimensions of the first images. */
    const val MEAN_LOG_VARIANCE = "mean_log_variance"

    /** A new [ContrastiveVaeBuilder] with the defaults (Java's entry point). */
    @JvmStatic fun builder(): ContrastiveVaeBuilder = ContrastiveVaeBuilder()

    /** [encoder]'s layers and a linear Dense([latentDim]) named "z_mean": the network [embed] runs. */
    internal fun withMean(encoder: Sequential, latentDim: Int): Sequential =
      Sequential(encoder.layers + Dense(latentDim, name = Z_MEAN), ENCODER)

    private fun graph(
      encoder: Sequential,
      decoder: Sequential,
      shape: IntArray,
      latentDim: Int,
      klWeight: Double,
      contrastive: ContrastiveLoss?,
      contrastiveWeight: Double,
    ) = GraphDefinition { g ->
      require(encoder.inputType == ElementType.FLOAT) { "the encoder must read float images, its first layer reads ${encoder.inputType}" }
      val features = encoder.outputShape(shape)
      require(features.size == 1) {
        "the encoder must end in one vector per example (add flatten() or dense()), it ends in ${ModelSummary.shape(features)}"
      }
      val decoded = decoder.outputShape(intArrayOf(latentDim))
      require(decoded.contentEquals(shape)) {
        "the decoder must map the $latentDim latent numbers back to the input's shape ${ModelSummary.shape(shape)}, it gives ${ModelSummary.shape(decoded)}"
      }
      val tf = g.tf
      val first = g.floatInput(Batch.FIRST, shape)
      val second = g.floatInput(Batch.SECOND, shape)
      val label = contrastive?.let { g.floatInput(Batch.LABEL, IntArray(0)) }
      val withMean = withMean(encoder, latentDim)
      val enc = g.encoder(withMean, shape, scope = ENCODER)
      val logVarHead = g.encoder(Sequential(listOf(Dense(latentDim, name = Z_LOG_VAR)), Z_LOG_VAR), features, scope = Z_LOG_VAR)
      val dec = g.encoder(decoder, intArrayOf(latentDim), scope = DECODER)
      g.embedding(Batch.FIRST, enc)
      val axes = tf.constant(IntArray(shape.size) { it + 1 })

      class Side(val mu: Operand<TFloat32>, val logVar: Operand<TFloat32>, val z: Operand<TFloat32>, val reconstruction: Operand<TFloat32>, val error: Operand<TFloat32>, val kl: Operand<TFloat32>)

      fun side(x: Operand<*>): Side {
        val h = applyAllButLast(enc, g, x)
        val last = enc.model.layers.size - 1
        val mu = enc.model.layers[last].forward(g.forward, h, enc.parametersOf(last))
        val logVar = logVarHead.apply(g.forward, h)
        val eps = tf.stopGradient(tf.random.statelessRandomNormal(tf.shape(mu), g.forward.nextSeed(), TFloat32::class.java))
        // in training z = mu + sigma * eps; in inference (flag 0) z = mu
        val noise = tf.math.mul(g.forward.training, tf.math.mul(tf.math.exp(tf.math.mul(logVar, tf.constant(0.5f))), eps))
        val z = tf.math.add(mu, noise)
        val xr = dec.apply(g.forward, z)
        @Suppress("UNCHECKED_CAST")
        val diff = tf.math.sub(xr, x as Operand<TFloat32>)
        val error = tf.math.mean(tf.math.square(diff), axes)
        val one = tf.constant(1f)
        val klPerImage = tf.math.mul(
          tf.constant(-0.5f),
          tf.sum(tf.math.sub(tf.math.sub(tf.math.add(one, logVar), tf.math.square(mu)), tf.math.exp(logVar)), tf.constant(1)),
        )
        return Side(mu, logVar, z, xr, error, tf.math.mean(klPerImage, tf.constant(0)))
      }

      val a = side(first)
      val b = side(second)
      val batchMean = { e: Operand<TFloat32> -> tf.math.mean(e, tf.constant(0)) }
      g.addLoss("reconstruction", tf.math.add(batchMean(a.error), batchMean(b.error)))
      g.addLoss("kl", tf.math.add(a.kl, b.kl), klWeight)
      if (contrastive != null && label != null) {
        val d = contrastive.distance().pairwise(tf, a.z, b.z)
        g.addLoss("contrastive", contrastive.callOnDistance(tf, d, label), contrastiveWeight)
        val similar = if (contrastive.convention() == PairConvention.ONE_MEANS_SIMILAR) label else tf.math.sub(tf.constant(1f), label)
        // the metrics (and so the label guard) read the means' distance: early on the sampling noise
        // (sigma near 1) swamps the distance of the sampled z and made the guard cry wolf
        val dMeans = tf.stopGradient(contrastive.distance().pairwise(tf, a.mu, b.mu))
        g.addMetrics(
          listOf(PairMetrics.meanPositiveDistance(), PairMetrics.meanNegativeDistance()),
          PairOutputs(dMeans, tf.stopGradient(similar), contrastive.distance().isSimilarity()),
        )
      }
      val perImageLogVar = tf.math.mean(a.logVar, tf.constant(1))
      g.addMetric(MEAN_LOG_VARIANCE, MetricTensors(tf.sum(perImageLogVar, tf.constant(0)), tf.dtypes.cast(tf.size(perImageLogVar), TFloat32::class.java)))
      g.addOutput(Z_LOG_VAR, a.logVar)
      g.addOutput(RECONSTRUCTION, a.reconstruction)
      g.addOutput(RECONSTRUCTION_ERROR, a.error)
    }

    /** The instance's layers but the last (the "z_mean" head) on [x]: the encoder's features. */
    private fun applyAllButLast(instance: SequentialInstance, g: PipelineGraph, x: Operand<*>): Operand<TFloat32> {
      var y: Operand<*> = x
      val layers = instance.model.layers
      for (i in 0 until layers.size - 1) y = layers[i].forward(g.forward, y, instance.parametersOf(i))
      @Suppress("UNCHECKED_CAST")
      return y as Operand<TFloat32>
    }
  }
}
