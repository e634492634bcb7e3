package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.text.LocalShuffle
import io.github.kontrast.dsl.text.SynonymReplacement
import io.github.kontrast.dsl.text.TextAugmentation
import io.github.kontrast.dsl.text.Thesaurus
import io.github.kontrast.dsl.text.Vocabulary
import io.github.kontrast.dsl.text.WordDropout

/**
 * Collects the two sides of a [MultimodalAugmentation]. Kotlin: `multimodalAugmentation { image {
 * randomResizedCrop(32, scale = 0.6..1.0) }; wordDropout(0.1); synonyms(Thesaurus.default(), 0.1) }`.
 * Java: `MultimodalAugmentation.builder().image(aug).wordDropout(0.1).localShuffle(3).build()`.
 * Image steps and text steps are each applied in the order they were added.
 */
class MultimodalAugmentationBuilder {
  private var image = Augmentation(emptyList())
  private val text = mutableListOf<TextAugmentation>()

  /** Appends the steps of [augmentation] to the image side. */
  fun image(augmentation: Augmentation): MultimodalAugmentationBuilder = apply { image += augmentation }

  /** Kotlin: appends the image steps of [block] (an [AugmentationBuilder]). */
  fun image(block: AugmentationBuilder.() -> Unit): MultimodalAugmentationBuilder = image(augmentation(block))

  /** Appends [augmentations] to the text side, in order. */
  fun text(vararg augmentations: TextAugmentation): MultimodalAugmentationBuilder = apply { text += augmentations }

  /** Appends [WordDropout] with probability [p] to the text side. */
  fun wordDropout(p: Double): MultimodalAugmentationBuilder = text(WordDropout(p))

  /** Appends [LocalShuffle] within [window] positions to the text side. */
  fun localShuffle(window: Int): MultimodalAugmentationBuilder = text(LocalShuffle(window))

  /** Appends [SynonymReplacement] from [thesaurus] with probability [p], limited to [vocabulary] when given. */
  @JvmOverloads
  fun synonyms(thesaurus: Thesaurus, p: Double, vocabulary: Vocabulary? = null): MultimodalAugmentationBuilder =
    text(SynonymReplacement(thesaurus, p, vocabulary = vocabulary))

  /** The augmentation made of the steps added so far. */
  fun build(): MultimodalAugmentation =
    MultimodalAugmentation(image, if (text.isEmpty()) TextAugmentation.identity() else TextAugmentation.chain(*text.toTypedArray()))
}

/** A [MultimodalAugmentation] built in a block: `multimodalAugmentation { image { horizontalFlip() }; wordDropout(0.1) }`. */
fun multimodalAugmentation(block: MultimodalAugmentationBuilder.() -> Unit): MultimodalAugmentation =
  MultimodalAugmentationBuilder().apply(block).build()
