package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.Dataset
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.EarlyStopping
import io.github.kontrast.dsl.engine.NonFiniteLossException
import io.github.kontrast.dsl.engine.TrainingControl
import io.github.kontrast.dsl.engine.Verbosity
import io.github.kontrast.dsl.siamese
import io.github.kontrast.losses.distances.Distances
import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

class SiameseSpec : FunSpec({
  val train = SyntheticPairs.pairs(256, seed = 1)
  val valid = SyntheticPairs.pairs(64, seed = 2)

  fun tiny(seed: Long = 42, lr: Double = 1e-2) = siamese {
    this.seed = seed
    input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
    encoder {
      conv2d(8, 2, activation = relu)
      maxPool(2)
      dropout(0.2)
      flatten()
      dense(8)
    }
    loss = contrastive(margin = 1f, convention = PairConvention.ONE_MEANS_SIMILAR, halfFactor = true)
    optimizer = adam(lr)
    threshold = 0.5f
    verbosity = Verbosity.SILENT
  }

  test("the loss falls and the pairs separate on an easy task") {
    tiny().use { m ->
      val h = m.fit(train, valid, epochs = 3, batchSize = 32)
      h.epochs shouldBe listOf(1, 2, 3)
      h.keys shouldBe setOf(
        "loss", "pair_accuracy", "mean_positive_distance", "mean_negative_distance",
        "val_loss", "val_pair_accuracy", "val_mean_positive_distance", "val_mean_negative_distance",
      )
      h["loss"].last() shouldBeLessThan h["loss"].first()
      h["val_pair_accuracy"].last() shouldBeGreaterThan 0.9
      h["val_mean_negative_distance"].last() shouldBeGreaterThan h["val_mean_positive_distance"].last()
      h.stepMillis shouldHaveSize 3 * 8
      h.examplesPerSecond() shouldBeGreaterThan 0.0
      h.unit shouldBe "pairs"
      m.unit shouldBe "pairs"
      m.step shouldBe 24L
      m.epoch shouldBe 3
      // evaluate agrees with the last validation values (same weights, inference mode)
      val e = m.evaluate(valid, 16)
      e.getValue("loss") shouldBe (h["val_loss"].last() plusOrMinus 1e-6)
      e.getValue("pair_accuracy") shouldBe (h["val_pair_accuracy"].last() plusOrMinus 1e-9)
    }
  }

  test("predict gives one distance per pair, consistent with the pair accuracy") {
    tiny().use { m ->
      m.fit(train, epochs = 2, batchSize = 32)
      val d = m.predict(valid, 10)
      d.shape.toList() shouldBe listOf(64)
      val labels = (valid.batch(IntArray(64) { it })[Batch.LABEL] as FloatHostArray).data
      val similar = m.predictSimilar(d)
      val acc = labels.indices.count { similar[it] == (labels[it] == 1f) } / 64.0
      acc shouldBe (m.evaluate(valid, 64).getValue("pair_accuracy") plusOrMinus 1e-9)
    }
  }

  test("one encoder, shared weights: both sides embed alike and the distance of a pair with itself is ~0") {
    tiny().use { m ->
      m.fit(train, epochs = 1, batchSize = 32)
      val images = valid.batch(IntArray(8) { it })[Batch.FIRST] as FloatHostArray
      val e = m.embed(images, 3)
      e.shape.toList() shouldBe listOf(8, 8)
      val self = m.predict(ArrayDataset(mapOf(Batch.FIRST to images, Batch.SECOND to images)), 8)
      self.data.all { it < 1e-4f } shouldBe true
      // the second input goes through the same variables: embedding it as a first image gives the same vectors
      val viaSecond = m.embed(valid, 8, Batch.SECOND)
      val second = valid.batch(IntArray(64) { it })[Batch.SECOND] as FloatHostArray
      m.embed(second, 8).data.toList() shouldBe viaSecond.data.toList()
    }
  }

  test("the same seed repeats a run bit for bit; another seed does not") {
    fun run(seed: Long) = tiny(seed).use { it.fit(train, valid, epochs = 2, batchSize = 32).history }
    val a = run(7)
    run(7) shouldBe a
    run(8) shouldNotBe a
  }

  test("save after one epoch, restore into a new model, one more epoch == two epochs straight") {
    val dir = tempdir()
    val straight = tiny().use { it.fit(train, valid, epochs = 2, batchSize = 32) }
    val path = dir.toPath().resolve("ckpt/siamese.ckpt")
    val first = tiny().use { m -> m.fit(train, valid, epochs = 1, batchSize = 32, checkpoint = path) }
    Files.exists(path) shouldBe true
    Files.list(path.parent).use { it.count() } shouldBe 1L // no temporary file left behind
    val second = tiny().use { m ->
      m.restore(path)
      m.step shouldBe 8L
      m.epoch shouldBe 1
      m.fit(train, valid, epochs = 1, batchSize = 32)
    }
    second.epochs shouldBe listOf(2)
    for (k in straight.keys) listOf(first[k].single(), second[k].single()) shouldBe straight[k]
  }

  test("a NaN loss stops training naming the step, and the checkpoint keeps the last good epoch") {
    val dir = tempdir()
    val path = dir.toPath().resolve("nan.ckpt")
    var poisoned = false
    // poisons the images once the first epoch is over
    val data = object : Dataset {
      override val size get() = train.size
      override fun batch(indices: IntArray): Batch {
        val b = train.batch(indices)
        if (!poisoned) return b
        val x = b[Batch.FIRST] as FloatHostArray
        return b.with(Batch.FIRST, FloatHostArray(FloatArray(x.data.size) { Float.NaN }, x.shape))
      }
    }
    val poison = object : Callback() {
      override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) { poisoned = true }
    }
    val reference = tiny().use { m -> m.fit(train, epochs = 1, batchSize = 32); m.evaluate(valid, 64) }
    tiny().use { m ->
      val e = shouldThrow<NonFiniteLossException> { m.fit(data, epochs = 3, batchSize = 32, callbacks = listOf(poison), checkpoint = path) }
      e.step shouldBe 9L
      e.message shouldContain "step 9"
    }
    tiny().use { m ->
      m.restore(path)
      m.epoch shouldBe 1
      m.evaluate(valid, 64) shouldBe reference
    }
  }

  test("early stopping ends training when the monitored value stops improving") {
    tiny(lr = 1e-9).use { m ->
      val stop = EarlyStopping("loss", patience = 0, minDelta = 1.0)
      val h = m.fit(train, epochs = 5, batchSize = 64, callbacks = listOf(stop))
      h.epochs shouldBe listOf(1, 2)
      stop.stoppedEpoch shouldBe 2
    }
  }

  test("bad input is rejected with the names and shapes involved") {
    tiny().use { m ->
      val wrong = ArrayDataset(
        mapOf(
          Batch.FIRST to FloatHostArray(FloatArray(4 * 16), intArrayOf(4, 4, 4, 1)),
          Batch.SECOND to FloatHostArray(FloatArray(4 * 36), intArrayOf(4, 6, 6, 1)),
          Batch.LABEL to FloatHostArray(FloatArray(4), intArrayOf(4)),
        ),
      )
      val e = shouldThrow<IllegalArgumentException> { m.fit(wrong, epochs = 1, batchSize = 2) }
      e.message shouldContain "'first'"
      e.message shouldContain "(None, 4, 4, 1)"
      e.message shouldContain "(None, 6, 6, 1)"
      val missing = ArrayDataset(mapOf(Batch.FIRST to FloatHostArray(FloatArray(36), intArrayOf(1, 6, 6, 1))))
      val e2 = shouldThrow<IllegalArgumentException> { m.fit(missing, epochs = 1, batchSize = 2) }
      e2.message shouldContain "'second'"
      shouldThrow<IllegalArgumentException> { m.fit(train, epochs = 1, batchSize = 0) }.message shouldContain "batchSize"
      shouldThrow<IllegalArgumentException> { m.fit(train, epochs = 0, batchSize = 8) }.message shouldContain "epochs"
      shouldThrow<IllegalArgumentException> { m.evaluate(train, -1) }.message shouldContain "batchSize"
    }
    shouldThrow<IllegalArgumentException> { siamese { input(6, 6, 1); encoder { conv2d(4, 2) } } }.message shouldContain "one vector per example"
  }

  test("the Java-style builder makes the same model as the DSL") {
    val twin = io.github.kontrast.dsl.layers.Sequential.builder()
      .name("siamese_twin")
      .conv2d(8, 2, io.github.kontrast.dsl.layers.Activations.relu).maxPool(2).dropout(0.2f).flatten().dense(8)
      .build()
    val built = Siamese.builder()
      .seed(42).input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1).encoder(twin)
      .loss(io.github.kontrast.losses.ContrastiveLoss.create().withMargin(1f).withConvention(PairConvention.ONE_MEANS_SIMILAR).withHalfFactor(true))
      .optimizer(io.github.kontrast.dsl.optim.adam(1e-2)).threshold(0.5f).verbosity(Verbosity.SILENT)
      .build()
    val a = built.use { it.fit(train, epochs = 1, batchSize = 32).history }
    val b = tiny().use { it.fit(train, epochs = 1, batchSize = 32).history }
    a shouldBe b
  }

  test("labels as ints, or as a column [N, 1] like Keras' y_pairs, read the same as floats [N]") {
    val all = train.batch(IntArray(train.size) { it })
    val y = (all[Batch.LABEL] as FloatHostArray).data
    val asInts = ArrayDataset(all.arrays + (Batch.LABEL to io.github.kontrast.dsl.data.IntHostArray(IntArray(y.size) { y[it].toInt() }, intArrayOf(y.size, 1))))
    val a = tiny().use { it.fit(train, epochs = 1, batchSize = 32).history }
    val b = tiny().use { it.fit(asInts, epochs = 1, batchSize = 32).history }
    b shouldBe a
  }

  test("a checkpoint of another model is refused naming the variable") {
    val dir = tempdir()
    val path = dir.toPath().resolve("other.ckpt")
    tiny().use { it.save(path) }
    val other = siamese { input(6, 6, 1); encoder { flatten(); dense(4) }; verbosity = Verbosity.SILENT }
    other.use { m -> shouldThrow<IllegalArgumentException> { m.restore(path) }.message shouldContain "siamese_twin/conv2d/kernel" }
  }

  test("the document-001 network: summary counts 107,456 parameters once though the twin runs twice") {
    siamese { verbosity = Verbosity.SILENT }.use { m ->
      val s = m.summary()
      s.totalParams shouldBe 107_456L
      s.rows.map { it.name } shouldBe listOf("first", "second", "siamese_twin", "distance")
      m.embeddingShape.toList() shouldBe listOf(128)
    }
  }
  test("one source of truth: the loss's distance, and contrastive() is the default loss") {
    // the builder's default loss is the library's ContrastiveLoss.create(), and so is contrastive()
    val default = SiameseBuilder().loss.toString()
    default shouldBe io.github.kontrast.losses.ContrastiveLoss.create().toString()
    SiameseBuilder().run { contrastive() }.toString() shouldBe default
    val unset = siamese { input(6, 6, 1); encoder { flatten(); dense(4) }; seed = 3; verbosity = Verbosity.SILENT }
      .use { it.fit(train, epochs = 1, batchSize = 32).history }
    val explicit = siamese { input(6, 6, 1); encoder { flatten(); dense(4) }; seed = 3; loss = contrastive(); verbosity = Verbosity.SILENT }
      .use { it.fit(train, epochs = 1, batchSize = 32).history }
    explicit shouldBe unset
    // the distance is the loss's: with the cosine distance, predict gives 1 - cos(e1, e2) of the two embeddings
    checkCosineDistanceModel(train, valid)
  }
})

/** A Siamese model whose loss takes the cosine distance: the graph's distance, the metric and predictSimilar all use it. */
private fun checkCosineDistanceModel(train: Dataset, valid: Dataset) {
  val m: SiameseModel = siamese {
    input(SyntheticPairs.SIDE, SyntheticPairs.SIDE, 1)
    encoder { flatten(); dense(4) }
    loss = contrastive().withDistance(Distances.cosineDistance())
    threshold = 0.2f
    verbosity = Verbosity.SILENT
  }
  try {
    m.distance.name() shouldBe Distances.cosineDistance().name()
    m.fit(train, epochs = 1, batchSize = 32)
    val d: FloatHostArray = m.predict(valid, 16)
    val a: FloatArray = m.embed(valid, 16, Batch.FIRST).data
    val b: FloatArray = m.embed(valid, 16, Batch.SECOND).data
    for (i in 0 until 64) d.data[i].toDouble() shouldBe (1 - cosine(a, b, i * 4, 4) plusOrMinus 1e-4)
    val labels: FloatArray = (valid.batch(IntArray(64) { it })[Batch.LABEL] as FloatHostArray).data
    val similar: BooleanArray = m.predictSimilar(d)
    similar.indices.all { similar[it] == (d.data[it] < 0.2f) } shouldBe true
    val acc: Double = labels.indices.count { similar[it] == (labels[it] == 1f) } / 64.0
    acc shouldBe (m.evaluate(valid, 64).getValue("pair_accuracy") plusOrMinus 1e-9)
  } finally {
    m.close()
  }
}

/** cos(a[from, from + n), b[from, from + n)) in double precision. */
private fun cosine(a: FloatArray, b: FloatArray, from: Int, n: Int): Double {
  var dot = 0.0
  var na = 0.0
  var nb = 0.0
  for (k in from until from + n) {
    dot += a[k].toDouble() * b[k]
    na += a[k].toDouble() * a[k]
    nb += b[k].toDouble() * b[k]
  }
  return dot / Math.sqrt(na * nb)
}
