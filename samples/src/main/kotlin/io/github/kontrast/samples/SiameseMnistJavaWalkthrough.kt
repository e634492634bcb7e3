package io.github.kontrast.samples

import picocli.CommandLine.Command
import picocli.CommandLine.Option

/** `./kontrast siamese-mnist-java`: the same network as siamese-mnist, written in plain Java. */
@Command(name = "siamese-mnist-java", description = ["document 001 from plain Java: builders instead of the Kotlin DSL (SiameseMnistJava.java)"])
class SiameseMnistJavaWalkthrough : Walkthrough() {
  @Option(names = ["--epochs"], paramLabel = "N", converter = [Count::class], description = ["epochs to train (default \${DEFAULT-VALUE})"])
  var epochs: Int = 5

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["pairs per step (default \${DEFAULT-VALUE})"])
  var batchSize: Int = 64

  @Option(names = ["--train-limit"], paramLabel = "N", converter = [NonNegative::class], description = ["use only the first N training images (default: all)"])
  var trainLimit: Int = 0

  @Option(names = ["--seed"], paramLabel = "N", converter = [Seed::class], description = ["seed (default \${DEFAULT-VALUE})"])
  var seed: Long = 42

  @Option(names = ["--quiet"], description = ["no progress bar"])
  var quiet: Boolean = false

  override fun call(): Int {
    SiameseMnistJava.train(epochs, batchSize, trainLimit, seed, quiet)
    return 0
  }
}
