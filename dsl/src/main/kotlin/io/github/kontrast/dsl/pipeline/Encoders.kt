package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Sequential

/** Ready-made encoders. */
object Encoders {
  /**
   * Document 001's siamese_twin for 28x28x1 images: three blocks of Conv2D(2x2, relu),
   * MaxPooling2D(2) and Dropout(0.4) with 128, 128 and 64 filters, global average pooling and a
   * linear Dense(128). 107,456 parameters.
   */
  @JvmStatic
  fun mnistTwin(): Sequential = Sequential.builder()
    .name("siamese_twin")
    .conv2d(128, 2, Activations.relu).maxPool(2).dropout(0.4f)
    .conv2d(128, 2, Activations.relu).maxPool(2).dropout(0.4f)
    .conv2d(64, 2, Activations.relu).maxPool(2).dropout(0.4f)
    .globalAveragePooling()
    .dense(128)
    .build()

  /**
   * A small CNN for 28x28x1 images, the self-supervised pipelines' default encoder: Conv2D(32,
   * 3x3, relu), MaxPooling2D(2), Conv2D(64, 3x3, relu), MaxPooling2D(2), Flatten, Dense(128,
   * relu); 223,744 parameters. Its output is the representation h that `embed` returns and a
   * linear probe reads; the projection head sits on top of it while training.
   */
  @JvmStatic
  fun smallCnn(): Sequential = Sequential.builder()
    .name("encoder")
    .conv2d(32, 3, Activations.relu).maxPool(2)
    .conv2d(64, 3, Activations.relu).maxPool(2)
    .flatten()
    .dense(128, Activations.relu)
    .build()
}
