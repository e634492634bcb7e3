package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.layers.Activations
import io.github.kontrast.dsl.layers.Padding
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

  /**
   * A small convolutional VAE encoder for 28x28x1 images (the latent heads are added by the
   * pipeline): Conv2D(32, 3, stride 2, same, relu) -> 14x14, Conv2D(64, 3, stride 2, same, relu)
   * -> 7x7, flatten, Dense(64, relu).
   */
  @JvmStatic
  fun mnistVaeEncoder(): Sequential = Sequential.builder()
    .name("encoder")
    .conv2d(32, 3, Activations.relu, 2, Padding.SAME)
    .conv2d(64, 3, Activations.relu, 2, Padding.SAME)
    .flatten()
    .dense(64, Activations.relu)
    .build()

  /**
   * Its mirror, from the latent vector back to 28x28x1: Dense(7 * 7 * 32, relu), reshape to
   * 7x7x32, Conv2DTranspose(32, 3, stride 2, same, relu) -> 14x14, Conv2DTranspose(16, 3, stride
   * 2, same, relu) -> 28x28, Conv2D(1, 3, same, sigmoid): grey levels in (0, 1).
   */
  @JvmStatic
  fun mnistVaeDecoder(): Sequential = Sequential.builder()
    .name("decoder")
    .dense(7 * 7 * 32, Activations.relu)
    .reshape(7, 7, 32)
    .conv2dTranspose(32, 3, Activations.relu, 2, Padding.SAME)
    .conv2dTranspose(16, 3, Activations.relu, 2, Padding.SAME)
    .conv2d(1, 3, Activations.sigmoid, 1, Padding.SAME)
    .build()
}
