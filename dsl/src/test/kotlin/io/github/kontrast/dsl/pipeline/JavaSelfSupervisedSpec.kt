package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.simclr
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe

/** The Java usage of the five self-supervised builders compiles (javac), trains, and matches the Kotlin DSL. */
class JavaSelfSupervisedSpec : FunSpec({
  test("SimClr/MocoV3/SimSiam/Swav/SupCon.builder() from Java train; SimCLR's losses are the DSL's; its export serves embed's h") {
    val views = TwoViewData.fixedViews(64, seed = 1)
    val images = TwoViewData.images(16, seed = 9).arrays.getValue(Batch.IMAGE) as FloatHostArray
    val dir = tempdir().toPath().resolve("java-simclr")
    val fromJava = JavaSelfSupervisedUsage.run(views, images, dir)
    val fromKotlin = simclr {
      seed = 3
      input(8, 8, 1)
      encoder { name = "encoder"; conv2d(4, 3, activation = relu); maxPool(2); flatten(); dense(16, activation = relu) }
      projector = mlp(16, 8)
      loss = ntXent(0.5f)
      optimizer = adam(1e-2)
      verbosity = TwoViewData.SILENT
    }.use { it.fit(views, epochs = 2, batchSize = 32)["loss"] }
    fromJava["simclr"] shouldBe fromKotlin
    fromJava["simclr_params"] shouldBe 1040L
    for (method in listOf("moco", "simsiam", "swav", "supcon")) {
      @Suppress("UNCHECKED_CAST")
      val losses = fromJava.getValue(method) as List<Double>
      losses.size shouldBe 2
      losses.all { it.isFinite() } shouldBe true
    }
    val embedded = fromJava.getValue("simclr_embedding") as FloatHostArray
    embedded.shape.toList() shouldBe listOf(16, 16)
    maxDifference(servingEmbeddings(dir, images, TwoViewData.SHAPE), embedded) shouldBeLessThan 1e-5
  }
})
