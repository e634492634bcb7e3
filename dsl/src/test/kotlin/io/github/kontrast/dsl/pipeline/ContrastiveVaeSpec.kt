package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.contrastiveVae
import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.losses.ContrastiveLoss
import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.exp
import kotlin.math.sqrt

/** Document 003's VAE on pairs: its loss terms against host arithmetic, sampling, training, and the document's loop without KL. */
class ContrastiveVaeSpec : FunSpec({
  val side = SyntheticPairs.SIDE
  // SyntheticPairs: label 1 = same class; read it as the document does, 1 = dissimilar, by flipping
  fun documentPairs(n: Int, seed: Long): ArrayDataset {
    val b = SyntheticPairs.pairs(n, seed).batch(IntArray(n) { it })
    val y = b.floats(Batch.LABEL).data
    return ArrayDataset(b.arrays + (Batch.LABEL to FloatHostArray(FloatArray(n) { 1f - y[it] }, intArrayOf(n))))
  }
  val train = documentPairs(256, 1)

  fun tiny(contrastive: Boolean = true, beta: Double? = null, seed: Long = 42, latent: Int = 2) = contrastiveVae {
    this.seed = seed
    quiet = true
    input(side, side, 1)
    latentDim = latent
    encoder { flatten(); dense(16, activation = relu) }
    decoder { dense(side * side, activation = sigmoid); reshape(side, side, 1) }
    klWeight = beta
    if (contrastive) contrastive(documentContrastive(), weight = 0.5)
    optimizer = adam(1e-2)
  }

  test("the default network for MNIST: encoder with its two heads, decoder back to 28x28x1; parameters counted by hand") {
    contrastiveVae { contrastive = documentContrastive() }.use { m ->
      m.latentDim shouldBe 2
      m.klWeight shouldBe (1.0 / 784 plusOrMinus 1e-15)
      // 3*3*1*32+32, 3*3*32*64+64, 3136*64+64, 64*2+2
      m.encoderSummary().totalParams shouldBe 320L + 18_496L + 200_768L + 130L
      // 2*1568+1568, 3*3*32*32+32, 3*3*16*32+16, 3*3*16+1
      m.decoderSummary().totalParams shouldBe 4_704L + 9_248L + 4_624L + 145L
      m.decoderSummary().rows.last().outputShape shouldBe "(None, 28, 28, 1)"
      val s = m.summary(print = false)
      s.totalParams shouldBe 219_714L + 130L + 18_721L
      s.rows.map { it.name } shouldBe listOf("first", "second", "encoder", "z_mean", "z_log_var", "z", "decoder")
    }
  }

  test("in inference the loss terms are the host's arithmetic on the fetched mu, log-variance and reconstructions") {
    tiny(beta = 0.01).use { m ->
      m.fit(train, epochs = 1, batchSize = 32) // move away from the initial weights
      val pairs = documentPairs(40, 5)
      val b = pairs.batch(IntArray(40) { it })
      val x1 = b.floats(Batch.FIRST)
      val x2 = b.floats(Batch.SECOND)
      val y = b.floats(Batch.LABEL).data
      fun out(x: FloatHostArray, name: String) = m.predict(ArrayDataset(mapOf(Batch.FIRST to x)), name, 16) as FloatHostArray
      val mu1 = m.embed(x1).data; val mu2 = m.embed(x2).data
      val lv1 = out(x1, ContrastiveVae.Z_LOG_VAR).data; val lv2 = out(x2, ContrastiveVae.Z_LOG_VAR).data
      val r1 = out(x1, ContrastiveVae.RECONSTRUCTION).data; val r2 = out(x2, ContrastiveVae.RECONSTRUCTION).data
      val px = side * side
      fun mse(x: FloatArray, r: FloatArray) = (0 until 40).map { i -> (0 until px).sumOf { k -> (r[i * px + k] - x[i * px + k]).toDouble().let { it * it } } / px }
      fun kl(mu: FloatArray, lv: FloatArray) = (0 until 40).sumOf { i ->
        -0.5 * (0 until 2).sumOf { k -> 1 + lv[2 * i + k] - mu[2 * i + k] * mu[2 * i + k] - exp(lv[2 * i + k].toDouble()) }
      } / 40
      val reconstruction = mse(x1.data, r1).average() + mse(x2.data, r2).average()
      val klTotal = kl(mu1, lv1) + kl(mu2, lv2)
      // in inference z = mu: the contrastive loss on the means, label 1 = dissimilar, margin 1
      val distances = (0 until 40).map { i -> sqrt((0 until 2).sumOf { k -> (mu1[2 * i + k] - mu2[2 * i + k] + 1e-6).let { it * it } }) }
      val contrastive = (0 until 40).sumOf { i ->
        val d = distances[i]
        if (y[i] == 1f) maxOf(0.0, 1 - d).let { it * it } else d * d
      } / 40
      val e = m.evaluate(pairs, batchSize = 40)
      e.getValue("reconstruction_loss") shouldBe (reconstruction plusOrMinus 1e-5)
      e.getValue("kl_loss") shouldBe (klTotal plusOrMinus 1e-4)
      e.getValue("contrastive_loss") shouldBe (contrastive plusOrMinus 1e-5)
      e.getValue("loss") shouldBe (reconstruction + 0.01 * klTotal + 0.5 * contrastive plusOrMinus 1e-4)
      e.getValue("mean_log_variance") shouldBe (lv1.average() plusOrMinus 1e-5)
      // the pair metrics: the means' distance, label 0 = similar here
      e.getValue("mean_positive_distance") shouldBe (distances.filterIndexed { i, _ -> y[i] == 0f }.average() plusOrMinus 1e-5)
      e.getValue("mean_negative_distance") shouldBe (distances.filterIndexed { i, _ -> y[i] == 1f }.average() plusOrMinus 1e-5)
      // the per-image reconstruction error output, and reconstruct() on raw images
      m.reconstructionError(x1) shouldBe (mse(x1.data, r1).average() plusOrMinus 1e-6)
      m.reconstruct(x1).data.toList() shouldBe r1.toList()
    }
  }

  test("sampling: in training z = mu + sigma * eps with eps drawn per step, repeatable; in inference z = mu") {
    tiny().use { m ->
      val batch = train.batch(IntArray(8) { it })
      val inference = m.engine.run(batch, listOf(ContrastiveVae.RECONSTRUCTION), training = false).getValue(ContrastiveVae.RECONSTRUCTION).data
      val training = m.engine.run(batch, listOf(ContrastiveVae.RECONSTRUCTION), training = true).getValue(ContrastiveVae.RECONSTRUCTION).data
      training.toList() shouldNotBe inference.toList()
      // the same step draws the same noise; inference repeats exactly
      m.engine.run(batch, listOf(ContrastiveVae.RECONSTRUCTION), training = true).getValue(ContrastiveVae.RECONSTRUCTION).data.toList() shouldBe training.toList()
      m.engine.run(batch, listOf(ContrastiveVae.RECONSTRUCTION), training = false).getValue(ContrastiveVae.RECONSTRUCTION).data.toList() shouldBe inference.toList()
    }
    // the same seed repeats a whole run bit for bit
    val h1 = tiny(seed = 3).use { it.fit(train, epochs = 2, batchSize = 32) }
    val h2 = tiny(seed = 3).use { it.fit(train, epochs = 2, batchSize = 32) }
    h1["loss"] shouldBe h2["loss"]
  }

  test("training: every term in History, the loss falls, the latent pairs separate as labelled; the label guard is silent, and warns on flipped labels") {
    tiny().use { m ->
      val h = m.fit(train, documentPairs(64, 2), epochs = 6, batchSize = 32)
      h.keys shouldBe setOf(
        "loss", "reconstruction_loss", "kl_loss", "contrastive_loss", "mean_positive_distance", "mean_negative_distance", "mean_log_variance",
        "val_loss", "val_reconstruction_loss", "val_kl_loss", "val_contrastive_loss", "val_mean_positive_distance", "val_mean_negative_distance", "val_mean_log_variance",
      )
      h["loss"].last() shouldBeLessThan h["loss"].first()
      h["reconstruction_loss"].last() shouldBeLessThan h["reconstruction_loss"].first()
      h["val_mean_negative_distance"].last() shouldBeGreaterThan 2 * h["val_mean_positive_distance"].last()
      m.labelGuard!!.warning shouldBe null
    }
    // the same pairs read with the opposite convention: the guard names it after epoch 1
    contrastiveVae {
      seed = 42
      quiet = true
      input(side, side, 1)
      encoder { flatten(); dense(16, activation = relu) }
      decoder { dense(side * side, activation = sigmoid); reshape(side, side, 1) }
      contrastive(ContrastiveLoss.create().withConvention(PairConvention.ONE_MEANS_SIMILAR), weight = 0.5)
    }.use { m ->
      m.fit(train, epochs = 1, batchSize = 32)
      m.labelGuard!!.warning!! shouldContain "The labels seem to follow ONE_MEANS_DISSIMILAR (label 1 = dissimilar)"
    }
  }

  test("the document's loop (no KL): an autoencoder, whose log-variance falls far below the VAE's") {
    val withoutKl = tiny(contrastive = false, beta = 0.0).use { it.fit(train, epochs = 8, batchSize = 32) }
    val withKl = tiny(contrastive = false, beta = 0.05).use { it.fit(train, epochs = 8, batchSize = 32) }
    // the KL term is computed (and shown) with weight 0, but nothing stops the variance from shrinking
    withoutKl["kl_loss"].last() shouldBeGreaterThan withKl["kl_loss"].last()
    withoutKl["mean_log_variance"].last() shouldBeLessThan withKl["mean_log_variance"].last() - 1.0
    withoutKl["mean_log_variance"].last() shouldBeLessThan withoutKl["mean_log_variance"].first()
    withoutKl.keys.contains("contrastive_loss") shouldBe false
  }

  test("bad settings are refused, naming them") {
    shouldThrow<IllegalArgumentException> { contrastiveVae { latentDim = 0 } }.message shouldBe "latentDim must be > 0, got 0"
    shouldThrow<IllegalArgumentException> { contrastiveVae { klWeight = -1.0 } }.message shouldBe "klWeight must be finite and >= 0, got -1.0"
    shouldThrow<IllegalArgumentException> {
      contrastiveVae { input(side, side, 1); encoder { flatten(); dense(4) }; decoder { dense(10) } }
    }.message shouldBe "the decoder must map the 2 latent numbers back to the input's shape (None, 6, 6, 1), it gives (None, 10)"
    shouldThrow<IllegalArgumentException> {
      contrastiveVae { input(side, side, 1); encoder { conv2d(2, 3) }; decoder { dense(36); reshape(6, 6, 1) } }
    }.message shouldContain "the encoder must end in one vector per example"
    // the Java-style builder says the same as the DSL
    ContrastiveVae.builder().input(side, side, 1).encoder(io.github.kontrast.dsl.layers.sequential { flatten(); dense(8) })
      .decoder(io.github.kontrast.dsl.layers.sequential { dense(36); reshape(6, 6, 1) }).latentDim(3).klWeight(0.0)
      .contrastive(ContrastiveLoss.create().withConvention(PairConvention.ONE_MEANS_DISSIMILAR), 0.1).build().use { m ->
        m.latentDim shouldBe 3
        m.klWeight shouldBe 0.0
        m.contrastiveWeight shouldBe 0.1
      }
  }
})
