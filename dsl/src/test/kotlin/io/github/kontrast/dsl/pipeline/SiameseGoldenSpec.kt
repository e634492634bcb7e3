package io.github.kontrast.dsl.pipeline

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * Regression pins: the numbers two small Siamese runs ([GoldenRuns]) gave before the pipeline base
 * existed, printed by that code and copied here as literals. Any change of the engine or of the
 * pipeline layer that alters a single bit of a loss, a metric, a distance or an embedding fails
 * here. Exact equality holds on CPU (TensorFlow's CPU kernels are deterministic for a given graph
 * and batch composition); values were taken on the project's x86-64 CPU build.
 */
class SiameseGoldenSpec : FunSpec({
  test("siamese { }: document 001's loss, Adam, dropout, 3 epochs of 12 steps, bit for bit") {
    val r = GoldenRuns.dsl()
    r.history shouldBe mapOf(
      "loss" to listOf(0.12349180690944195, 0.11013152822852135, 0.10820147829751174),
      "pair_accuracy" to listOf(0.6015625, 0.6432291666666666, 0.6744791666666666),
      "mean_positive_distance" to listOf(0.4204518149296443, 0.38528986523548764, 0.39305711537599564),
      "mean_negative_distance" to listOf(0.518371452887853, 0.5398931230107943, 0.65100958943367),
      "val_loss" to listOf(0.15002590914567313, 0.12721593181292215, 0.14743710309267044),
      "val_pair_accuracy" to listOf(0.5520833333333334, 0.59375, 0.59375),
      "val_mean_positive_distance" to listOf(0.1468639075756073, 0.24337182690699896, 0.16426154971122742),
      "val_mean_negative_distance" to listOf(0.2814330458641052, 0.4879754384358724, 0.3189772466818492),
    )
    r.test shouldBe mapOf(
      "loss" to 0.11763712376356125,
      "pair_accuracy" to 0.63,
      "mean_positive_distance" to 0.1744183725118637,
      "mean_negative_distance" to 0.4177790832519531,
    )
    r.distances shouldBe listOf(0.4929547f, 0.10235654f, 0.07160878f, 0.42366296f, 0.49655452f, 0.61266875f)
    r.embedding shouldBe listOf(
      -0.44143713f, -0.19438562f, 0.020988086f, -0.08140093f,
      -0.42675412f, -0.18928166f, 0.024995817f, -0.073516734f,
      -0.5372557f, -0.22234686f, 0.05066821f, -0.13197307f,
    )
    r.steps shouldBe 36L
  }

  test("Siamese.builder(): margin 2 without the 1/2, SGD with momentum, threshold 1, bit for bit") {
    val r = GoldenRuns.javaStyle()
    r.history shouldBe mapOf(
      "loss" to listOf(1.5801690071821213, 1.1264913007616997),
      "pair_accuracy" to listOf(0.4921875, 0.5598958333333334),
      "mean_positive_distance" to listOf(0.544928322856625, 0.5022583504517873),
      "mean_negative_distance" to listOf(0.5978903671105703, 0.7068916658560435),
      "val_loss" to listOf(1.069811850786209, 1.014658510684967),
      "val_pair_accuracy" to listOf(0.6041666666666666, 0.5729166666666666),
      "val_mean_positive_distance" to listOf(0.5176753401756287, 0.5294787486394247),
      "val_mean_negative_distance" to listOf(0.9233400424321493, 1.0045098066329956),
    )
    r.test shouldBe mapOf(
      "loss" to 0.962856262922287,
      "pair_accuracy" to 0.63,
      "mean_positive_distance" to 0.5393855571746826,
      "mean_negative_distance" to 1.003310775756836,
    )
    r.distances shouldBe listOf(1.5913043f, 1.775566f, 1.1331702f, 0.16216077f, 0.7400716f, 0.55365556f)
    r.embedding shouldBe listOf(
      -0.26458716f, -0.14801636f, 1.3938335f, 0.8316258f,
      -0.18583773f, -0.09194507f, 1.0832025f, 0.6575228f,
      -0.16450109f, -0.005180836f, 0.9049148f, 0.3904532f,
    )
    r.steps shouldBe 16L
  }
})
