package io.github.kontrast.dsl.pipeline

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** The Java usage compiles (javac) and trains the same model as the Kotlin DSL. */
class JavaApiSpec : FunSpec({
  test("Siamese.builder() from Java gives the DSL's results") {
    val train = SyntheticPairs.pairs(256, seed = 1)
    val valid = SyntheticPairs.pairs(64, seed = 2)
    val fromJava = JavaSiameseUsage.run(train, valid)
    val fromKotlin = io.github.kontrast.dsl.siamese {
      seed = 42
      input(6, 6, 1)
      encoder { conv2d(8, 2, activation = relu); maxPool(2); dropout(0.2); flatten(); dense(8) }
      loss = contrastive(margin = 1f, halfFactor = true)
      optimizer = adam(1e-2)
      quiet = true
    }.use { it.fit(train, valid, epochs = 2, batchSize = 32) }
    fromJava["params"] shouldBe 304L
    fromJava["loss"] shouldBe fromKotlin["loss"]
    fromJava["val_pair_accuracy"] shouldBe fromKotlin["val_pair_accuracy"]
    fromJava["distances"] shouldBe 64
  }
})
