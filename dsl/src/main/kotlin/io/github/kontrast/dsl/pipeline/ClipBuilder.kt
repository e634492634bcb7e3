package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.distributed.DataParallel
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.SequentialBuilder
import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.losses.ClipLoss

/**
 * The image side of `clip { image { ... } }`: the input shape, the encoder and the projection size.
 * From Java: `new ClipImageTower().input(32, 32, 3).encoder(enc).projection(64)`. Unset values come
 * from the [ClipBuilder] (its `input` and `encoder`) or the defaults: [ClipEncoders.image], 64.
 */
class ClipImageTower {
  /** The shape of one image, e.g. `[32, 32, 3]`; null: the builder's input shape. */
  var inputShape: IntArray? = null

  /** The image encoder; null: the builder's encoder, else [ClipEncoders.image]. */
  var encoder: Sequential? = null

  /** The size of the shared embedding space (default 64); must equal the text tower's. */
  var projection: Int = 64

  /** Sets [inputShape], the shape of one image (positive dimensions). */
  fun input(vararg shape: Int): ClipImageTower = apply {
    require(shape.isNotEmpty() && shape.all { it > 0 }) { "image input shape must have positive dimensions, got ${shape.contentToString()}" }
    inputShape = shape.copyOf()
  }

  /** Sets [encoder], the network from an image to one vector. */
  fun encoder(encoder: Sequential): ClipImageTower = apply { this.encoder = encoder }

  /** Kotlin: `encoder { conv2d(32, 3, activation = relu); ... }`. */
  fun encoder(block: SequentialBuilder.() -> Unit): ClipImageTower =
    encoder(SequentialBuilder().apply { name = "image_encoder" }.apply(block).build())

  /** The size of the shared embedding space (CLIP's embed_dim). */
  fun projection(size: Int): ClipImageTower = apply {
    require(size >= 1) { "image projection size must be >= 1, got $size" }
    projection = size
  }
}

/**
 * The text side of `clip { text { ... } }`: the [tokenizer] (its vocabulary and maximum length fix
 * the tower's input), the encoder (ids `[L]` to one vector, read with the padding mask: embedding,
 * positions, transformer blocks, masked pooling) and the projection size. Without an encoder,
 * [ClipEncoders.text] for the tokenizer's vocabulary.
 */
class ClipTextTower {
  /** The tokenizer that turns captions into ids and masks; required, no default. */
  var tokenizer: Tokenizer? = null

  /** The text encoder; null: [ClipEncoders.text] for the tokenizer's vocabulary. */
  var encoder: Sequential? = null

  /** The size of the shared embedding space (default 64); must equal the image tower's. */
  var projection: Int = 64

  /** Sets [tokenizer]. */
  fun tokenizer(tokenizer: Tokenizer): ClipTextTower = apply { this.tokenizer = tokenizer }

  /** The tokenizer's vocabulary size, for the encoder's embedding: `embedding(vocabularySize, 64)`. */
  val vocabularySize: Int
    get() = (tokenizer ?: throw IllegalStateException("set the text tower's tokenizer before asking for its vocabulary size")).vocabularySize

  /** Sets [encoder], the network from ids and mask to one vector. */
  fun encoder(encoder: Sequential): ClipTextTower = apply { this.encoder = encoder }

  /** Kotlin: `encoder { embedding(vocabularySize, 64); positionalEmbedding(); transformerBlock(4, 128); maskedMeanPooling() }`. */
  fun encoder(block: SequentialBuilder.() -> Unit): ClipTextTower =
    encoder(SequentialBuilder().apply { name = "text_encoder" }.apply(block).build())

  /** Sets [projection], the size of the shared embedding space (CLIP's embed_dim). */
  fun projection(size: Int): ClipTextTower = apply {
    require(size >= 1) { "text projection size must be >= 1, got $size" }
    projection = size
  }
}

/**
 * Configures a [ClipModel]. Kotlin: the receiver of `clip { ... }`:
 * ```
 * clip {
 *   seed = 1
 *   image { input(32, 32, 3); encoder { conv2d(32, 3, activation = relu); maxPool(2); globalAveragePooling() }; projection(64) }
 *   text { tokenizer = Tokenizer.fit(captions, maxLength = 12); encoder { embedding(vocabularySize, 64); maskedMeanPooling() }; projection(64) }
 *   optimizer = adamW(1e-3)
 * }
 * ```
 * Java: `Clip.builder().seed(1).image(new ClipImageTower()...).text(new ClipTextTower()...).build()`.
 * Defaults: input 32x32x3, [ClipEncoders], projection 64, temperature 0.07 learned and clamped at
 * logit scale 100, [ClipLoss.create], Adam(1e-3). The tokenizer has no default: fit it on the
 * training captions.
 */
class ClipBuilder : PipelineBuilder<ClipBuilder, ClipModel>(intArrayOf(32, 32, 3), "image_encoder"), LossFormOptions<ClipBuilder> {
  /** Full matrix or row blocks ([LossForm.AUTO]: blocks when the static [batchSize]'s [B, B] logits are large). */
  override var lossForm: LossForm = LossForm.AUTO

  /** The image tower's settings, filled by [image]. */
  val imageTower = ClipImageTower()

  /** The text tower's settings, filled by [text]. */
  val textTower = ClipTextTower()

  /** The starting temperature: the logit scale starts at log(1 / temperature). */
  var temperature: Float = 0.07f

  /** The clamp on the logit scale, applied after every step (CLIP's 100). */
  var maxLogitScale: Float = 100f

  /** The symmetric image-text loss (default [ClipLoss.create]). */
  var loss: ClipLoss = ClipLoss.create()

  /** Kotlin: `image { input(32, 32, 3); encoder { ... }; projection(64) }`. */
  fun image(block: ClipImageTower.() -> Unit): ClipBuilder = self.also { imageTower.block() }

  /** Java: the image tower's settings, copied. */
  fun image(tower: ClipImageTower): ClipBuilder = self.also {
    tower.inputShape?.let { imageTower.inputShape = it.copyOf() }
    tower.encoder?.let { imageTower.encoder = it }
    imageTower.projection = tower.projection
  }

  /** Kotlin: `text { tokenizer = ...; encoder { ... }; projection(64) }`. */
  fun text(block: ClipTextTower.() -> Unit): ClipBuilder = self.also { textTower.block() }

  /** Java: the text tower's settings, copied. */
  fun text(tower: ClipTextTower): ClipBuilder = self.also {
    tower.tokenizer?.let { textTower.tokenizer = it }
    tower.encoder?.let { textTower.encoder = it }
    textTower.projection = tower.projection
  }

  /** Sets [temperature], the starting temperature (default 0.07). */
  fun temperature(temperature: Float): ClipBuilder = self.also { this.temperature = temperature }

  /** Sets [maxLogitScale], the clamp on the logit scale (default 100). */
  fun maxLogitScale(maxLogitScale: Float): ClipBuilder = self.also { this.maxLogitScale = maxLogitScale }

  /** Sets [loss]. */
  fun loss(loss: ClipLoss): ClipBuilder = self.also { this.loss = loss }

  override fun build(): ClipModel {
    require(temperature > 0f && temperature.isFinite()) { "temperature must be > 0, got $temperature" }
    require(maxLogitScale > 0f && maxLogitScale.isFinite()) { "maxLogitScale must be > 0, got $maxLogitScale" }
    require(1f / temperature <= maxLogitScale) { "the starting logit scale 1 / temperature = ${1f / temperature} exceeds maxLogitScale $maxLogitScale" }
    require(imageTower.projection == textTower.projection) {
      "both towers must project to one embedding size: image projection ${imageTower.projection}, text projection ${textTower.projection}"
    }
    val tokenizer = textTower.tokenizer
      ?: throw IllegalArgumentException("the text tower needs a tokenizer: text { tokenizer = Tokenizer.fit(trainingCaptions, maxLength = 16) }")
    val shape = imageTower.inputShape ?: inputShape
    val d = imageTower.projection
    val image = ClipModel.tower("image_tower", imageTower.encoder ?: encoder ?: ClipEncoders.image(), d)
    val text = ClipModel.tower("text_tower", textTower.encoder ?: ClipEncoders.text(tokenizer.vocabularySize), d)
    val b = batchSize?.toLong()
    // data-parallel: this worker's pairs against every worker's
    val plan = lossForm.plan(b, b?.times(DataParallel.workers()), loss.chunkRows())
    return ClipModel(settings(), image, shape, text, tokenizer, temperature, maxLogitScale, loss.withChunkRows(plan.chunkRows), plan)
  }
}

/** Java's entry point: `Clip.builder()`. */
object Clip {
  /** A new [ClipBuilder] with the defaults. */
  @JvmStatic fun builder(): ClipBuilder = ClipBuilder()
}
