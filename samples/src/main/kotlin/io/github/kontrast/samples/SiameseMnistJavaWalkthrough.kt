package io.github.kontrast.samples

/** `./kontrast siamese-mnist-java`: the same network as siamese-mnist, written in plain Java. */
object SiameseMnistJavaWalkthrough : Walkthrough {
  override val name = "siamese-mnist-java"
  override val summary = "document 001 from plain Java: builders instead of the Kotlin DSL (SiameseMnistJava.java)"
  override val options = linkedMapOf(
    "--epochs N" to "epochs to train (default 5)",
    "--batch-size N" to "pairs per step (default 64)",
    "--train-limit N" to "use only the first N training images (default: all)",
    "--seed N" to "seed (default 42)",
    "--quiet" to "no progress bar",
  )

  override fun run(args: Args): Int {
    SiameseMnistJava.train(args.int("epochs", 5), args.int("batch-size", 64), args.int("train-limit", 0, min = 0), args.int("seed", 42, min = 0).toLong(), args.flag("quiet"))
    return 0
  }
}
