package io.github.kontrast.dsl.augment;

import io.github.kontrast.dsl.text.LocalShuffle;

/** A multimodal augmentation built from plain Java, compiled by javac and compared with the DSL in MultimodalAugmentationSpec. */
public final class JavaMultimodalUsage {
  private JavaMultimodalUsage() {}

  public static MultimodalAugmentation build() {
    return MultimodalAugmentation.builder()
        .image(Augmentation.builder().horizontalFlip(0.5).build())
        .wordDropout(0.1)
        .text(new LocalShuffle(3))
        .build();
  }
}
