package io.github.kontrast.dsl.augment;

/** An augmentation built from plain Java, compiled by javac and compared with the DSL in AugmentationApiSpec. */
public final class JavaAugmentationUsage {
  private JavaAugmentationUsage() {}

  public static Augmentation build() {
    return Augmentation.builder()
        .add(RandomResizedCrop.of(28).withScale(0.2, 1.0))
        .horizontalFlip(0.5)
        .add(GaussianBlur.of(3, 0.1, 2.0, 0.5))
        .build();
  }
}
