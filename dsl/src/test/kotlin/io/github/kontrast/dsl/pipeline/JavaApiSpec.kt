package io.github.kontrast.dsl.pipeline

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** The Java usage compiles (javac) and trains the same model as the Kotlin DSL. */
class JavaApiSpec : FunSpec({
  test("Siamese.builder() from Java gives the DSL's results; the Pipeline base, export and Optimizers.* from Java") {
    val train = SyntheticPairs.pairs(256, seed = 1)
    val valid = SyntheticPairs.pairs(64, seed = 2)
    val exportDir = java.nio.file.Files.createTempDirectory("java-export")
    val fromJava = JavaSiameseUsage.run(train, valid, exportDir)
    val fromKotlin = io.github.kontrast.dsl.siamese {
      seed = 42
      input(6, 6, 1)
      encoder { conv2d(8, 2, activation = relu); maxPool(2); dropout(0.2); flatten(); dense(8) }
      loss = contrastive(margin = 1f, halfFactor = true)
      optimizer = adam(1e-2)
      verbosity = io.github.kontrast.dsl.engine.Verbosity.SILENT
    }.use { it.fit(train, valid, epochs = 2, batchSize = 32) }
    fromJava["params"] shouldBe 304L
    fromJava["loss"] shouldBe fromKotlin["loss"]
    fromJava["val_pair_accuracy"] shouldBe fromKotlin["val_pair_accuracy"]
    fromJava["distances"] shouldBe 64
    fromJava["embedding_shape"] shouldBe listOf(64, 8)
    fromJava["unit"] shouldBe "pairs"
    fromJava["steps"] shouldBe 16L
    fromJava["optimizers"] shouldBe listOf(
      io.github.kontrast.dsl.optim.sgd().describe(),
      "Adam(lr=constant(0.001), beta1=0.9, beta2=0.999, epsilon=1.0E-7)",
      "LARS(lr=constant(0.3), momentum=0.9, weightDecay=1.0E-6, eta=0.001, nesterov=false)",
    )
    java.nio.file.Files.isRegularFile(exportDir.resolve("saved_model.pb")) shouldBe true
  }
})
