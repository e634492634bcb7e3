package io.github.kontrast.samples

import picocli.CommandLine.Command
import picocli.CommandLine.Mixin

/** `./kontrast siamese-mnist-java`: the same network as siamese-mnist, written in plain Java. */
@Command(name = "siamese-mnist-java", description = ["document 001 from plain Java: builders instead of the Kotlin DSL (SiameseMnistJava.java)"])
class SiameseMnistJavaWalkthrough : Walkthrough() {
  @Mixin
  val training = TrainingOptions()

  override fun call(): Int {
    with(training) { SiameseMnistJava.train(epochs, batchSize, trainLimit ?: 0, seed, quiet) }
    return 0
  }
}
