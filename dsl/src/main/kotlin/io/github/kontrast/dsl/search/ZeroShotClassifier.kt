package io.github.kontrast.dsl.search

import io.github.kontrast.dsl.data.FloatHostArray

/**
 * Zero-shot classification as CLIP does it: every class is described in text by prompt templates
 * ("an emoji of {}"), the prompts are embedded by the text tower, and an image gets the class whose
 * text embedding is most similar to its own. With several templates, a class's embedding is the
 * normalized mean of its normalized template embeddings (CLIP's prompt ensembling).
 *
 * @property classNames the name of every class, in row order.
 * @property classEmbeddings `[K, D]`, unit rows
 */
class ZeroShotClassifier(val classNames: List<String>, val classEmbeddings: FloatHostArray) {
  init {
    require(classEmbeddings.shape.size == 2 && classEmbeddings.rows == classNames.size) {
      "classEmbeddings must be [${classNames.size}, D] (one row per class), got ${classEmbeddings.shape.contentToString()}"
    }
  }

  /** D, the size of the embeddings. */
  val dimension: Int get() = classEmbeddings.shape[1]

  /** Cosine similarity of every image embedding (`[N, D]`) with every class: `[N, K]`. */
  fun scores(imageEmbeddings: FloatHostArray): FloatHostArray {
    require(imageEmbeddings.shape.size == 2 && imageEmbeddings.shape[1] == dimension) {
      "image embeddings must be [N, $dimension], got ${imageEmbeddings.shape.contentToString()}"
    }
    val n = imageEmbeddings.rows
    val k = classNames.size
    val img = normalizedRows(imageEmbeddings)
    val out = FloatArray(n * k)
    for (i in 0 until n) for (c in 0 until k) {
      var s = 0f
      for (j in 0 until dimension) s += img[i * dimension + j] * classEmbeddings.data[c * dimension + j]
      out[i * k + c] = s
    }
    return FloatHostArray(out, intArrayOf(n, k))
  }

  /** The predicted class of every image (the first on a tie). */
  fun predict(imageEmbeddings: FloatHostArray): IntArray {
    val s = scores(imageEmbeddings)
    val k = classNames.size
    return IntArray(s.rows) { i -> (0 until k).maxByOrNull { s.data[i * k + it] }!! }
  }

  /** The fraction of images whose predicted class is [labels]'. */
  fun accuracy(imageEmbeddings: FloatHostArray, labels: IntArray): Double {
    require(labels.size == imageEmbeddings.rows) { "labels: expected one per image (${imageEmbeddings.rows}), got ${labels.size}" }
    val p = predict(imageEmbeddings)
    return p.indices.count { p[it] == labels[it] }.toDouble() / p.size
  }

  companion object {
    /** Document 004's single prompt and a few more, for CLIP's prompt ensembling. */
    @JvmField val DEFAULT_TEMPLATES: List<String> = listOf("an emoji of {}", "a {} emoji", "an icon of {}", "{}")

    /**
     * The classifier for [classNames] from [templates] (each with one "{}" for the class name),
     * embedded by [embedText] (a text tower: texts -> [T, D] embeddings).
     */
    @JvmStatic
    @JvmOverloads
    fun fromPrompts(
      classNames: List<String>,
      embedText: (List<String>) -> FloatHostArray,
      templates: List<String> = DEFAULT_TEMPLATES,
    ): ZeroShotClassifier {
      require(classNames.isNotEmpty()) { "classNames must not be empty" }
      require(templates.isNotEmpty() && templates.all { it.split("{}").size == 2 }) {
        "every template needs exactly one '{}' for the class name, got $templates"
      }
      val prompts = classNames.flatMap { c -> templates.map { it.replace("{}", c) } }
      val emb = embedText(prompts)
      require(emb.shape.size == 2 && emb.rows == prompts.size) { "embedText gave ${emb.shape.contentToString()} for ${prompts.size} prompts" }
      val d = emb.shape[1]
      val unit = normalizedRows(emb)
      val t = templates.size
      val classes = FloatArray(classNames.size * d)
      for (c in classNames.indices) {
        for (p in 0 until t) for (j in 0 until d) classes[c * d + j] += unit[(c * t + p) * d + j]
      }
      return ZeroShotClassifier(classNames, FloatHostArray(normalizedRows(FloatHostArray(classes, intArrayOf(classNames.size, d))), intArrayOf(classNames.size, d)))
    }

    /** The rows of [a] scaled to unit length (a zero row stays zero). */
    internal fun normalizedRows(a: FloatHostArray): FloatArray {
      val d = a.shape[1]
      val out = a.data.copyOf()
      for (i in 0 until a.rows) {
        var s = 0.0
        for (j in 0 until d) s += out[i * d + j].toDouble() * out[i * d + j]
        val norm = Math.sqrt(s)
        if (norm > 0) for (j in 0 until d) out[i * d + j] = (out[i * d + j] / norm).toFloat()
      }
      return out
    }
  }
}
