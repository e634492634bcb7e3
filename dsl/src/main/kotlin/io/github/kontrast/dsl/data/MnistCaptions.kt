package io.github.kontrast.dsl.data

/**
 * MNIST digits as image-caption pairs, CLIP's fastest demonstration: each digit gets captions such
 * as "a handwritten seven", "the digit 7", "a scanned number seven". The canonical caption is
 * "a handwritten <word>"; the class names are the digit words, for zero-shot classification.
 */
object MnistCaptions {
  /** The English word of each digit, 0 to 9: the class names. */
  @JvmField val WORDS: List<String> = listOf("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

  /** Caption templates; "{}" takes the digit's word or numeral. The first is the canonical one (with the word). */
  @JvmField val TEMPLATES: List<String> = listOf(
    "a handwritten {}", "the digit {}", "a hand-drawn {}", "the number {}", "a scanned {}",
    "{} written by hand", "an image of the number {}", "a small grey {}",
  )

  /** The captions of digit [d]: every template with the word, then every template with the numeral. */
  @JvmStatic
  fun captions(d: Int): List<String> {
    require(d in 0..9) { "digit must be in 0..9, got $d" }
    return TEMPLATES.map { it.replace("{}", WORDS[d]) } + TEMPLATES.map { it.replace("{}", d.toString()) }
  }

  /** [digits] (MNIST's labelled images) captioned. */
  @JvmStatic
  fun of(digits: LabeledImages): CaptionedImages {
    val byDigit = (0..9).map { captions(it) }
    val labels = digits.labels.data
    labels.forEachIndexed { i, l -> require(l in 0..9) { "label of image $i must be a digit, got $l" } }
    return CaptionedImages(digits.images, labels.map { byDigit[it] }, labels.copyOf(), WORDS, names = labels.map { byDigit[it][0] })
  }
}
