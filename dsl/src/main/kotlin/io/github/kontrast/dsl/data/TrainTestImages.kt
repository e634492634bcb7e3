package io.github.kontrast.dsl.data

/**
 * What `Mnist.load()` returns, like Keras' `(x_train, y_train), (x_test, y_test)`, plus where it
 * came from: [source] is a sentence such as "MNIST (full, IDX from /root/.kontrast/datasets)".
 * [isSubset] is true for the small subset shipped inside the jar.
 */
class TrainTestImages(
  val name: String,
  val train: LabeledImages,
  val test: LabeledImages,
  val source: String,
  val isSubset: Boolean,
) {
  operator fun component1(): LabeledImages = train
  operator fun component2(): LabeledImages = test

  override fun toString(): String = "$source: ${train.size} training and ${test.size} test images"
}
