package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.engine.LabelConventionGuard
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.PairConvention
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The flipped-label guard: silent on right labels, a warning naming both conventions on flipped ones. */
class LabelConventionGuardSpec : FunSpec({
  val control = object : TrainingControl {
    override fun stopTraining() {}
    override val stopRequested get() = false
    override fun save(path: java.nio.file.Path) {}
  }

  test("after epoch 1, similar pairs further apart than dissimilar ones give one warning naming both conventions") {
    val said = mutableListOf<String>()
    val guard = LabelConventionGuard(PairConvention.ONE_MEANS_SIMILAR) { said += it }
    guard.onTrainBegin(control)
    guard.onEpochEnd(1, mapOf("loss" to 0.3, "mean_positive_distance" to 0.83, "mean_negative_distance" to 0.41), control)
    said shouldBe listOf(
      "kontrast: warning: in epoch 1 the pairs labelled similar under ONE_MEANS_SIMILAR (label 1 = similar) were further apart on average " +
        "(mean_positive_distance 0.8300) than those labelled dissimilar (0.4100). " +
        "The labels seem to follow ONE_MEANS_DISSIMILAR (label 1 = dissimilar): check the loss's convention.",
    )
    guard.warning shouldBe said.single()
    // only epoch 1 is judged
    guard.onEpochEnd(2, mapOf("mean_positive_distance" to 0.9, "mean_negative_distance" to 0.1), control)
    said.size shouldBe 1
  }

  test("right-looking distances, a missing metric or a NaN give no warning; a similarity is judged the other way") {
    val said = mutableListOf<String>()
    val guard = LabelConventionGuard(PairConvention.ONE_MEANS_DISSIMILAR) { said += it }
    guard.onEpochEnd(1, mapOf("mean_positive_distance" to 0.2, "mean_negative_distance" to 0.9), control)
    guard.onEpochEnd(1, mapOf("loss" to 1.0), control)
    guard.onEpochEnd(1, mapOf("mean_positive_distance" to Double.NaN, "mean_negative_distance" to 0.9), control)
    said shouldBe emptyList()
    val cosine = LabelConventionGuard(PairConvention.ONE_MEANS_DISSIMILAR, higherIsSimilar = true) { said += it }
    cosine.onEpochEnd(1, mapOf("mean_positive_distance" to 0.9, "mean_negative_distance" to 0.2), control)
    said shouldBe emptyList()
    cosine.onEpochEnd(1, mapOf("mean_positive_distance" to 0.2, "mean_negative_distance" to 0.9), control)
    said.single() shouldContain "were less similar on average (mean_positive_distance 0.2000) than those labelled dissimilar (0.9000)"
    said.single() shouldContain "under ONE_MEANS_DISSIMILAR (label 1 = dissimilar)"
    said.single() shouldContain "seem to follow ONE_MEANS_SIMILAR (label 1 = similar)"
  }

  // labels of SyntheticPairs: 1 = same class
  val train = SyntheticPairs.pairs(256, seed = 1)

  fun model(convention: PairConvention) = siamese {
    seed = 42
    quiet = true
    input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
    encoder { conv2d(8, 2, activation = relu); maxPool(2); flatten(); dense(8) }
    loss = contrastive(margin = 1f, convention = convention, halfFactor = true)
    optimizer = adam(1e-2)
  }

  test("training on right labels: no warning") {
    model(PairConvention.ONE_MEANS_SIMILAR).use { m ->
      m.fit(train, epochs = 2, batchSize = 32)
      m.labelGuard!!.warning shouldBe null
    }
  }

  test("training on flipped labels (the data's 1 = similar read as 1 = dissimilar): every Siamese fit warns by itself") {
    model(PairConvention.ONE_MEANS_DISSIMILAR).use { m ->
      m.fit(train, epochs = 2, batchSize = 32)
      val warning = m.labelGuard!!.warning!!
      warning shouldContain "under ONE_MEANS_DISSIMILAR (label 1 = dissimilar) were further apart on average"
      warning shouldContain "The labels seem to follow ONE_MEANS_SIMILAR (label 1 = similar)"
    }
  }

  test("without the mean-distance metrics there is no guard") {
    siamese {
      input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
      encoder { flatten(); dense(4) }
      metrics = listOf(io.github.kontrast.dsl.metrics.PairMetrics.pairAccuracy())
    }.use { it.labelGuard shouldBe null }
  }
})
