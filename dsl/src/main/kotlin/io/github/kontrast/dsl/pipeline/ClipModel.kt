package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.CaptionedImages
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.layers.Dense
import io.github.kontrast.dsl.layers.ElementType
import io.github.kontrast.dsl.layers.Initializers
import io.github.kontrast.dsl.layers.L2Normalize
import io.github.kontrast.dsl.layers.ModelSummary
import io.github.kontrast.dsl.layers.Sequential
import io.github.kontrast.dsl.layers.applyMasked
import io.github.kontrast.dsl.metrics.MetricTensors
import io.github.kontrast.dsl.search.CrossModalRecall
import io.github.kontrast.dsl.search.Retrieval
import io.github.kontrast.dsl.search.ZeroShotClassifier
import io.github.kontrast.dsl.text.TokenBatch
import io.github.kontrast.dsl.text.Tokenizer
import io.github.kontrast.losses.ClipLoss
import io.github.kontrast.losses.distributed.GatheredClip
import org.tensorflow.Operand
import org.tensorflow.op.Ops
import org.tensorflow.op.linalg.MatMul
import org.tensorflow.types.TFloat32
import org.tensorflow.types.TInt32
import java.nio.file.Path
import kotlin.math.exp
import kotlin.math.ln

/**
 * CLIP (Radford et al. 2021; document 004's `CLIP` module) on the [Pipeline] base: an image tower
 * (the image encoder, a linear projection to [embeddingSize], L2 normalization) and a text tower
 * (the tokenizer's ids through the text encoder with the padding mask, a projection, L2
 * normalization), trained with [ClipLoss] on the in-batch similarity matrix scaled by a learned
 * logit scale. The scale starts at log(1 / [initialTemperature]) (0.07: scale 14.3), is trained with
 * the towers, and after every step is clamped to log([maxLogitScale]) (100), as CLIP does. In
 * data-parallel training the candidates are every worker's images and texts ([GatheredClip]), so
 * the loss and the accuracies are those of the global batch.
 *
 * It reads batches with [Batch.IMAGE] (images of [imageShape]), [CaptionedImages.TOKENS] and
 * [CaptionedImages.MASK] (the tokenizer's [N, maxLength] ids and mask), as
 * [CaptionedImages.dataset] makes them. History: "loss", "temperature" (1 / exp(logit scale), the
 * mean over the epoch's steps), and the in-batch top-1 accuracies "image_to_text_accuracy" and
 * "text_to_image_accuracy". Throughput is counted in image-text pairs.
 *
 * `embed(images)` is the image tower; [embedTexts] the text tower; [export] writes both.
 * Built by [ClipBuilder] (`clip { ... }` in Kotlin, `Clip.builder()...build()` in Java).
 */
class ClipModel internal constructor(
  settings: PipelineSettings,
  /** The image tower: encoder, projection, normalization. */
  val imageTower: Sequential,
  imageShape: IntArray,
  /** The text tower: encoder, projection, normalization (applied with the padding mask). */
  val textTower: Sequential,
  /** Turns captions into the text tower's ids and mask. */
  val tokenizer: Tokenizer,
  /** The temperature the logit scale started from: log(1 / initialTemperature). */
  val initialTemperature: Float,
  /** The clamp on the logit scale, applied after every step. */
  val maxLogitScale: Float,
  /** The symmetric image-text loss, its chunking as [lossPlan] chose it. */
  val loss: ClipLoss,
  /** The loss form chosen: full matrix or row blocks, and why. */
  val lossPlan: LossPlan,
) : Pipeline(settings, "image-text pairs", graph(imageTower, imageShape.copyOf(), textTower, tokenizer.maxLength, initialTemperature, maxLogitScale, loss)) {
  private val shape = imageShape.copyOf()

  /** Per-example image shape, e.g. [32, 32, 3]. */
  val imageShape: IntArray get() = shape.copyOf()

  /** Size of both towers' embeddings. */
  val embeddingSize: Int = imageTower.outputShape(shape)[0]

  override val name: String get() = "clip"

  /** The learned logit scale now: exp of the trained variable, at most [maxLogitScale]. */
  val logitScale: Float get() = exp(engine.checkpoint().values.getValue(LOGIT_SCALE).data[0])

  /** 1 / [logitScale]: the learned temperature. */
  val temperature: Float get() = 1f / logitScale

  override fun summaryRows(): List<ModelSummary.Row> {
    val len = tokenizer.maxLength
    return listOf(
      ModelSummary.Row(Batch.IMAGE, "InputLayer", "[${ModelSummary.shape(shape)}]", 0),
      ModelSummary.Row(CaptionedImages.TOKENS, "InputLayer", "[$len]", 0),
      ModelSummary.Row(CaptionedImages.MASK, "InputLayer", "[$len]", 0),
      ModelSummary.Row(imageTower.name, "Sequential", ModelSummary.shape(intArrayOf(embeddingSize)), imageTower.summary(shape).totalParams),
      ModelSummary.Row(textTower.name, "Sequential, masked", ModelSummary.shape(intArrayOf(embeddingSize)), textTower.summary(intArrayOf(len)).totalParams),
      ModelSummary.Row(LOGIT_SCALE, "scalar", "[]", 1),
      lossPlan.summaryRow(),
    )
  }

  override fun summaryTables(): List<ModelSummary> = listOf(imageTower.summary(shape), textTower.summary(intArrayOf(tokenizer.maxLength)))

  /** The text tower on [texts]: [N, embeddingSize], unit rows. */
  @JvmOverloads
  fun embedTexts(texts: List<String>, batchSize: Int = 256): FloatHostArray = embedTexts(tokenizer.encode(texts), batchSize)

  /** The text tower on texts already tokenized (by [tokenizer]). */
  @JvmOverloads
  fun embedTexts(tokens: TokenBatch, batchSize: Int = 256): FloatHostArray {
    require(tokens.maxLength == tokenizer.maxLength) { "tokens must be [N, ${tokenizer.maxLength}], got [N, ${tokens.maxLength}]" }
    val ds = ArrayDataset(mapOf(CaptionedImages.TOKENS to tokens.tokens, CaptionedImages.MASK to tokens.mask))
    return predict(ds, TEXT_EMBEDDING, batchSize) as FloatHostArray
  }

  /** Cosine similarity of every image with every text: [images, texts] (CLIP's logits before the scale). */
  @JvmOverloads
  fun similarity(images: FloatHostArray, texts: List<String>, batchSize: Int = 256): FloatHostArray =
    cosines(embed(images, batchSize), embedTexts(texts, batchSize))

  /**
   * Zero-shot classification over [classNames] from [templates] (each with one "{}"), the text
   * embeddings of a class's prompts averaged ([ZeroShotClassifier.fromPrompts]).
   */
  @JvmOverloads
  fun zeroShot(classNames: List<String>, templates: List<String> = ZeroShotClassifier.DEFAULT_TEMPLATES): ZeroShotClassifier =
    ZeroShotClassifier.fromPrompts(classNames, { embedTexts(it) }, templates)

  /**
   * Recall@k both ways on [pairs] (held-out images with their canonical captions): each distinct
   * caption searches the images (text to image), each image searches the distinct captions (image
   * to text); an item is relevant when it has the query's caption. With its chance levels.
   */
  @JvmOverloads
  fun retrieval(pairs: CaptionedImages, ks: IntArray = intArrayOf(1, 5, 10), batchSize: Int = 256): CrossModalRecall {
    val captions = pairs.canonicalCaptions.distinct()
    val key = captions.withIndex().associate { (i, c) -> c to i }
    val imageKeys = IntArray(pairs.size) { key.getValue(pairs.caption(it)) }
    return Retrieval.crossModal(embed(pairs.images, batchSize), imageKeys, embedTexts(captions, batchSize), ks)
  }

  /**
   * Writes both towers as TensorFlow SavedModels (tag "serve", signature "serving_default"):
   * [dir]/image takes "image" (float32 `[N]` + [imageShape]) and returns "embedding", the contract of
   * every Kontrast export; [dir]/text takes "tokens" (int32 [N, L]) and "mask" (float32 [N, L]) and
   * returns "embedding", with the tokenizer's vocabulary.txt and tokenizer.properties beside it.
   * Both embeddings are unit vectors, so their dot product is CLIP's cosine similarity.
   */
  override fun export(dir: Path) {
    super.export(dir.resolve(IMAGE_DIR))
    ClipTextExport.write(dir.resolve(TEXT_DIR), textTower, tokenizer, engine.checkpoint().values, seed)
  }

  override fun toString(): String =
    "ClipModel(image ${ModelSummary.shape(shape)} -> ${imageTower.name}, text [${tokenizer.maxLength}] -> ${textTower.name}, " +
      "embedding $embeddingSize, temperature from $initialTemperature, optimizer=${optimizer.describe()})"

  companion object {
    /** Output and variable names in the graph. */
    const val EMBEDDING = Pipeline.EMBEDDING
    /** The text tower's output: the unit-length caption embeddings, `[N, D]`. */
    const val TEXT_EMBEDDING = "text_embedding"

    /** The learned scalar variable: the log of the logit scale. */
    const val LOGIT_SCALE = "logit_scale"

    /** Sub-directories of [export]. */
    const val IMAGE_DIR = "image"

    /** The text tower's sub-directory of [export]. */
    const val TEXT_DIR = "text"

    /** The tower of [encoder]: its layers, a bias-free projection to [size], L2 normalization. */
    internal fun tower(name: String, encoder: Sequential, size: Int): Sequential =
      Sequential(encoder.layers + Dense(size, useBias = false, name = "projection") + L2Normalize(name = "normalize"), name)

    /** Cosine similarities of the rows of [a] `[N, D]` and [b] `[M, D]`: `[N, M]`. */
    @JvmStatic
    fun cosines(a: FloatHostArray, b: FloatHostArray): FloatHostArray {
      require(a.shape.size == 2 && b.shape.size == 2 && a.shape[1] == b.shape[1]) {
        "cosines need [N, D] and [M, D], got ${a.shape.contentToString()} and ${b.shape.contentToString()}"
      }
      val d = a.shape[1]
      val x = ZeroShotClassifier.normalizedRows(a)
      val y = ZeroShotClassifier.normalizedRows(b)
      val out = FloatArray(a.rows * b.rows)
      for (i in 0 until a.rows) for (j in 0 until b.rows) {
        var s = 0f
        for (k in 0 until d) s += x[i * d + k] * y[j * d + k]
        out[i * b.rows + j] = s
      }
      return FloatHostArray(out, intArrayOf(a.rows, b.rows))
    }

    private fun graph(
      imageTower: Sequential,
      imageShape: IntArray,
      textTower: Sequential,
      maxLength: Int,
      initialTemperature: Float,
      maxLogitScale: Float,
      loss: ClipLoss,
    ) = GraphDefinition { g ->
      require(imageTower.inputType == ElementType.FLOAT) { "the image encoder must read float images, its first layer reads ${imageTower.inputType}" }
      require(textTower.inputType == ElementType.INT) { "the text encoder must start with an embedding of token ids, its first layer reads ${textTower.inputType}" }
      val tf = g.tf
      g.floatInput(Batch.IMAGE, imageShape)
      val tokens = g.intInput(CaptionedImages.TOKENS, intArrayOf(maxLength))
      val mask = g.floatInput(CaptionedImages.MASK, intArrayOf(maxLength))
      val images = g.embedding(Batch.IMAGE, g.encoder(imageTower, imageShape))
      val textShape = textTower.outputShape(intArrayOf(maxLength))
      require(textShape.size == 1 && textShape[0] == images.shape().asArray()[1].toInt()) {
        "the text tower must end in one vector of the image tower's size ${images.shape().asArray()[1]} (add maskedMeanPooling()), it ends in ${ModelSummary.shape(textShape)}"
      }
      val texts = g.encoder(textTower, intArrayOf(maxLength)).applyMasked(g.forward, tokens, mask)
      g.addOutput(TEXT_EMBEDDING, texts)
      val logScale = g.variables.variable(LOGIT_SCALE, IntArray(0), Initializers.constant(ln(1.0 / initialTemperature).toFloat()), trainable = true)
      val clamped = loss.withMaxLogitScale(maxLogitScale)
      // data-parallel: every worker's texts are this worker's images' candidates and the other way round, as with one worker
      val gathered = g.collectives?.let { GatheredClip(clamped).gather(tf, g.lossInput(images), g.lossInput(texts), it) }
      g.addLoss("clip", if (gathered == null) clamped.call(tf, g.lossInput(images), g.lossInput(texts), logScale) else GatheredClip(clamped).call(tf, gathered, logScale))
      val cap = ln(maxLogitScale.toDouble()).toFloat()
      g.afterStep { ops -> ops.assign(logScale, ops.math.minimum(logScale, ops.constant(cap))) }
      val one = tf.constant(1f)
      g.addMetric("temperature", MetricTensors(tf.math.exp(tf.math.neg(tf.stopGradient(logScale))), one))
      if (gathered == null) {
        val sims = tf.linalg.matMul(images, texts, MatMul.transposeB(true))
        val diagonal = tf.range(tf.constant(0), tf.gather(tf.shape(sims), tf.constant(0), tf.constant(0)), tf.constant(1))
        g.addMetric("image_to_text_accuracy", hits(tf, sims, 1, diagonal))
        g.addMetric("text_to_image_accuracy", hits(tf, sims, 0, diagonal))
      } else {
        // image i's caption and text i's image sit at column rank * b + i of the gathered rows
        g.addMetric("image_to_text_accuracy", hits(tf, tf.linalg.matMul(gathered.imageFeatures(), gathered.allTextFeatures(), MatMul.transposeB(true)), 1, gathered.matches()))
        g.addMetric("text_to_image_accuracy", hits(tf, tf.linalg.matMul(gathered.textFeatures(), gathered.allImageFeatures(), MatMul.transposeB(true)), 1, gathered.matches()))
      }
    }

    /** How many rows (axis 1) or columns (axis 0) of [sims] have their largest value at index [targets], of how many. */
    private fun hits(tf: Ops, sims: Operand<TFloat32>, axis: Int, targets: Operand<TInt32>): MetricTensors {
      val best = tf.math.argMax(tf.stopGradient(sims), tf.constant(axis), TInt32::class.java)
      val hits = tf.dtypes.cast(tf.math.equal(best, targets), TFloat32::class.java)
      return MetricTensors(tf.sum(hits, tf.constant(0)), tf.dtypes.cast(tf.size(targets), TFloat32::class.java))
    }
  }
}
