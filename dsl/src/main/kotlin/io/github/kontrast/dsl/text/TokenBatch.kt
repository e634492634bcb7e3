package io.github.kontrast.dsl.text

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray

/**
 * Texts as a text encoder reads them: [tokens] `[N, L]` word ids, padded with
 * [Vocabulary.PAD_ID] after the last word, and [mask] `[N, L]`, 1 at a word and 0 at padding.
 *
 * @property tokens the word ids, int `[N, L]`.
 * @property mask the padding mask, float `[N, L]`: 1 at a word, 0 at padding.
 */
class TokenBatch(val tokens: IntHostArray, val mask: FloatHostArray) {
  init {
    require(tokens.shape.size == 2) { "tokens must be [N, L], got ${tokens.shape.contentToString()}" }
    require(mask.shape.contentEquals(tokens.shape)) { "mask must have the tokens' shape ${tokens.shape.contentToString()}, got ${mask.shape.contentToString()}" }
  }

  /** N, the number of texts. */
  val size: Int get() = tokens.shape[0]

  /** L, the ids per text (padding included). */
  val maxLength: Int get() = tokens.shape[1]

  /** Number of words (mask ones) of text `i`. */
  fun length(i: Int): Int {
    require(i in 0 until size) { "text index must be in 0 until $size, got $i" }
    var n = 0
    for (j in 0 until maxLength) if (mask.data[i * maxLength + j] != 0f) n++
    return n
  }

  override fun toString() = "TokenBatch($size texts x $maxLength)"
}
