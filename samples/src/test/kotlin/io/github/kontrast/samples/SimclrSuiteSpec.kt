package io.github.kontrast.samples

import io.github.kontrast.dsl.augment.Augmentations
import io.github.kontrast.dsl.augment.views
import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.PrefetchTiming
import io.github.kontrast.samples.bench.FeedTiming
import io.github.kontrast.samples.bench.PyTorchSide
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

class SimclrSuiteSpec : FunSpec({
  test("the prefetch hook reports every batch the background thread makes, and only while it is set") {
    val images = ArrayDataset(Batch.IMAGE to FloatHostArray(FloatArray(10 * 28 * 28) { (it % 255) / 255f }, intArrayOf(10, 28, 28, 1)))
    val views = images.views(Augmentations.digits(), 1L)
    val before = PrefetchTiming.listener
    val feed = FeedTiming()
    feed.use {
      // 10 images in batches of 4: 3 batches, made on the prefetch thread, taken on this one
      feed.wrap(views).batches(4, shuffle = false).use { it.forEach { } }
    }
    feed.madeMs.size shouldBe 3
    feed.madeMs.all { it > 0.0 } shouldBe true
    feed.waitedMs.size shouldBe 3
    feed.waitedMs.all { it >= 0.0 } shouldBe true
    PrefetchTiming.listener shouldBe before
    // after close the hook is off again: a new epoch is not reported to it
    views.batches(4, shuffle = false).use { it.forEach { } }
    feed.madeMs.size shouldBe 3
  }

  test("a tiny SimCLR suite writes a record per engine and form with images/s, feeding and waiting times") {
    val out = Files.createTempDirectory("bench-simclr")
    val ran = kontrast(
      "bench", "--suite", "simclr", "--batch-size", "16", "--steps", "2", "--warmup", "1", "--chunk-rows", "8",
      "--out", out.toString(),
    )
    withClue(ran.err) { ran.code shouldBe 0 }
    ran.out shouldContain "SimCLR suite on "
    val json = Files.readString(out.resolve("simclr/bench.json"))
    val records = json.split("\"suite\": \"simclr\",\n    \"engine\"").drop(1)
    val torchMissing = PyTorchSide.missing(PyTorchSide.PYTHON, PyTorchSide.script("bench_simclr.py"))
    records.size shouldBe (if (torchMissing == null) 3 else 2)
    records[0] shouldContain "\"form\": \"full\""
    records[1] shouldContain "\"form\": \"chunked\""
    records[1] shouldContain "\"chunk_rows\": 8"
    // the suite builds SimCLR for a static batch size, so both forms are timed
    for (r in records) {
      withClue(r) {
        r shouldContain "\"n\": 16,"
        val median = jsonNumber(r, "median_ms")
        median shouldBeGreaterThan 0.0
        jsonNumber(r, "images_per_s") shouldBe (16 / (median / 1000) plusOrMinus 1e-6 * 16 / (median / 1000))
        jsonNumber(r, "peak_rss_bytes") shouldBeGreaterThan 1e8
        // two augmented views of 16 images take time; the wait is part of the step it is in
        jsonNumber(r, "feed_ms") shouldBeGreaterThan 0.0
        jsonNumber(r, "wait_ms") shouldBeLessThan median
      }
    }
    if (torchMissing == null) records[2] shouldContain ": \"pytorch\"" else ran.out shouldContain "PyTorch not timed: $torchMissing"
    Files.readString(out.resolve("simclr/bench.md")) shouldContain "| kontrast | chunked (8 rows) | 16 |"
  }
})
