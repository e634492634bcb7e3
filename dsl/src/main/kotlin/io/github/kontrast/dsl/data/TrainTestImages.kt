package io.github.kontrast.dsl.data

/**
 * What `Mnist.load()` returns, like Keras' `(x_train, y_train), (x_test, y_test)`, plus where it
 * came from: [source] is a sentence such as "MNIST (full, IDX from /root/.kontrast/datasets)".
 * [isSubset] is true for the small subset shipped inside the jar.
 *
 * @property name the dataset's name, e.g. "MNIST" or "Fashion-MNIST".
 * @property train the training set (MNIST: 60,000 images, 6,000 in the subset).
 * @property test the test set (MNIST: 10,000 images, 1,000 in the subset).
 * @property source where the images were loaded from, as a sentence for logs and notebooks.
 * @property isSubset whether these are the subset shipped inside the jar rather than the full set.
 */
class TrainTestImages(
  val name: String,
  val train: LabeledImages,
  val test: LabeledImages,
  val source: String,
  val isSubset: Boolean,
) {
  /** [train], so that `val (train, test) = Mnist.load()` works. */
  operator fun component1(): LabeledImages = train

  /** [test], the second half of `val (train, test) = Mnist.load()`. */
  operator fun component2(): LabeledImages = test

  override fun toString(): String = "$source: ${train.size} training and ${test.size} test images"
}
