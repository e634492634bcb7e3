package io.github.kontrast.dsl.engine

import io.github.kontrast.losses.PairConvention
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Path
import java.nio.file.Paths

/** Records what a callback asked of the training loop. */
private class RecordingControl : TrainingControl {
  var stops = 0
  val saves = mutableListOf<Path>()
  override fun stopTraining() { stops++ }
  override val stopRequested: Boolean get() = stops > 0
  override fun save(path: Path) { saves.add(path) }
}

/**
 * The callbacks' decision rules, driven epoch by epoch with hand-chosen logs instead of a training
 * run, so that every edge is reached: a change of exactly minDelta, a value equal to the best, the
 * step equal to the limit, the ends of a momentum range. Values are binary fractions (0.25, 0.75),
 * so that "exactly minDelta" is exact in floating point.
 */
class CallbackRulesSpec : FunSpec({
  /** Feeds [values] of "val_loss" as epochs 1, 2, ... and returns the epochs after which it asked to stop. */
  fun stops(callback: Callback, values: List<Double>, key: String = "val_loss"): List<Int> {
    val control = RecordingControl()
    callback.onTrainBegin(control)
    return values.mapIndexedNotNull { i, v ->
      val before = control.stops
      callback.onEpochEnd(i + 1, mapOf(key to v), control)
      if (control.stops > before) i + 1 else null
    }
  }

  test("EarlyStopping, minimizing: an improvement must exceed minDelta; after patience epochs without one it stops") {
    // patience 0: the first epoch that does not improve stops the run
    val impatient = EarlyStopping("val_loss", patience = 0)
    stops(impatient, listOf(1.0, 0.5, 0.5, 0.5)) shouldBe listOf(3, 4)
    impatient.stoppedEpoch shouldBe 4
    // patience 2: two epochs may pass without improvement, the third stops; an improvement resets the count
    stops(EarlyStopping("val_loss", patience = 2), listOf(1.0, 1.0, 1.0, 0.5, 0.75, 0.75, 0.75)) shouldBe listOf(7)
    // minDelta 0.25: 1.0 -> 0.75 is not enough (exactly minDelta), 1.0 -> 0.5 is
    stops(EarlyStopping("val_loss", patience = 0, minDelta = 0.25), listOf(1.0, 0.75)) shouldBe listOf(2)
    stops(EarlyStopping("val_loss", patience = 0, minDelta = 0.25), listOf(1.0, 0.5, 0.25)) shouldBe listOf(3)
    stops(EarlyStopping("val_loss", patience = 0, minDelta = 0.25), listOf(1.0, 0.5, 0.125)) shouldBe emptyList()
  }

  test("EarlyStopping, maximizing: the value must rise by more than minDelta") {
    stops(EarlyStopping("acc", patience = 0, maximize = true), listOf(0.5, 0.75, 0.75), key = "acc") shouldBe listOf(3)
    stops(EarlyStopping("acc", patience = 0, maximize = true), listOf(0.5, 0.25), key = "acc") shouldBe listOf(2)
    stops(EarlyStopping("acc", patience = 0, minDelta = 0.25, maximize = true), listOf(0.25, 0.5), key = "acc") shouldBe listOf(2)
    stops(EarlyStopping("acc", patience = 0, minDelta = 0.25, maximize = true), listOf(0.25, 0.625), key = "acc") shouldBe emptyList()
  }

  test("EarlyStopping starts afresh at each fit: best, wait count and stopped epoch are reset") {
    val stop = EarlyStopping("val_loss", patience = 1)
    stops(stop, listOf(0.25, 0.5, 0.5)) shouldBe listOf(3)
    stop.stoppedEpoch shouldBe 3
    // a second run whose values are all worse than the first run's best: nothing carried over
    val control = RecordingControl()
    stop.onTrainBegin(control)
    stop.stoppedEpoch shouldBe 0
    stop.onEpochEnd(1, mapOf("val_loss" to 1.0), control)
    stop.onEpochEnd(2, mapOf("val_loss" to 0.75), control)
    stop.onEpochEnd(3, mapOf("val_loss" to 0.875), control)
    control.stops shouldBe 0
  }

  test("EarlyStopping's arguments: patience and minDelta >= 0; a missing key names it and the keys there are") {
    EarlyStopping(patience = 0, minDelta = 0.0).monitor shouldBe "val_loss"
    shouldThrow<IllegalArgumentException> { EarlyStopping(patience = -1) }.message shouldBe "patience must be >= 0, got -1"
    shouldThrow<IllegalArgumentException> { EarlyStopping(minDelta = -0.5) }.message shouldBe "minDelta must be >= 0, got -0.5"
    val e = shouldThrow<IllegalArgumentException> { stops(EarlyStopping("val_loss"), listOf(1.0), key = "loss") }
    e.message shouldBe "EarlyStopping monitors 'val_loss' but the epoch logs have [loss]"
  }

  test("ModelCheckpoint with onlyBest saves on a strict improvement only, and starts afresh at each fit") {
    val path = Paths.get("unused.ckpt")
    val lowest = ModelCheckpoint(path, onlyBest = true)
    val control = RecordingControl()
    lowest.onTrainBegin(control)
    listOf(1.0, 1.0, 0.5, 0.75).forEachIndexed { i, v -> lowest.onEpochEnd(i + 1, mapOf("val_loss" to v), control) }
    control.saves.size shouldBe 2
    lowest.savedEpoch shouldBe 3
    // a new fit: its first epoch is saved even though it is worse than the last fit's best
    lowest.onTrainBegin(control)
    lowest.onEpochEnd(1, mapOf("val_loss" to 2.0), control)
    control.saves.size shouldBe 3
    lowest.savedEpoch shouldBe 1

    val highest = ModelCheckpoint(path, monitor = "acc", onlyBest = true, maximize = true)
    highest.onTrainBegin(control)
    listOf(0.5, 0.5, 0.25, 0.75).forEachIndexed { i, v -> highest.onEpochEnd(i + 1, mapOf("acc" to v), control) }
    control.saves.size shouldBe 5
    highest.savedEpoch shouldBe 4
  }

  test("TrainingLimit stops at exactly its step, not before; a time limit stops once it has passed") {
    val control = RecordingControl()
    val limit = TrainingLimit.steps(3)
    limit.onTrainBegin(control)
    for (step in 1L..2L) limit.onBatchEnd(BatchResult(step, 1, step.toInt() - 1, 4, 0.0, 1.0), control)
    control.stops shouldBe 0
    limit.reached shouldBe null
    limit.onBatchEnd(BatchResult(3, 1, 2, 4, 0.0, 1.0), control)
    control.stops shouldBe 1
    limit.reached shouldBe "steps"
    // a new fit clears it
    limit.onTrainBegin(control)
    limit.reached shouldBe null

    val long = TrainingLimit.seconds(3600.0)
    long.onTrainBegin(control)
    // 5 ms is 5e6 ns: a limit read in nanoseconds instead of seconds would stop here
    Thread.sleep(5)
    long.onBatchEnd(BatchResult(1, 1, 0, 4, 0.0, 1.0), control)
    long.reached shouldBe null
    val short = TrainingLimit.seconds(1e-6)
    short.onTrainBegin(control)
    Thread.sleep(2)
    short.onBatchEnd(BatchResult(1, 1, 0, 4, 0.0, 1.0), control)
    short.reached shouldBe "time"
    TrainingLimit.steps(1).maxSteps shouldBe 1L
    shouldThrow<IllegalArgumentException> { TrainingLimit.seconds(0.0) }.message shouldBe "maxSeconds must be > 0, got 0.0"
    shouldThrow<IllegalArgumentException> { TrainingLimit.steps(-5) }.message shouldBe "maxSteps must be > 0, got -5"
    shouldThrow<IllegalArgumentException> { TrainingLimit.steps(0) }.message shouldBe "maxSteps must be > 0, got 0"
  }

  test("momentum schedules: tau and base in [0, 1] with both ends allowed; at least one step; the cosine by hand") {
    MomentumSchedule.constant(0.0).tau(7) shouldBe 0.0
    MomentumSchedule.constant(1.0).tau(7) shouldBe 1.0
    for (bad in listOf(-1e-9, 1.000001, Double.NaN)) {
      shouldThrow<IllegalArgumentException> { MomentumSchedule.constant(bad) }.message shouldBe "tau: expected a number in [0, 1], got $bad"
      shouldThrow<IllegalArgumentException> { MomentumSchedule.cosine(bad, 10) }.message shouldBe "base: expected a number in [0, 1], got $bad"
    }
    // base 0 over 4 steps: tau(k) = 1 - (cos(pi k / 4) + 1) / 2 = (1 - cos(pi k / 4)) / 2
    val ramp = MomentumSchedule.cosine(0.0, 4)
    ramp.tau(0) shouldBe 0.0
    ramp.tau(1) shouldBe (0.14644660940672624 plusOrMinus 1e-12) // (1 - sqrt(2)/2) / 2
    ramp.tau(2) shouldBe (0.5 plusOrMinus 1e-15)
    ramp.tau(3) shouldBe (0.8535533905932737 plusOrMinus 1e-12) // (1 + sqrt(2)/2) / 2
    ramp.tau(4) shouldBe 1.0
    ramp.tau(9) shouldBe 1.0
    MomentumSchedule.cosine(1.0, 4).tau(2) shouldBe 1.0
    // one step: base at 0, 1 from step 1 on
    MomentumSchedule.cosine(0.5, 1).tau(0) shouldBe 0.5
    MomentumSchedule.cosine(0.5, 1).tau(1) shouldBe 1.0
    shouldThrow<IllegalArgumentException> { MomentumSchedule.cosine(0.5, 0) }.message shouldBe "totalSteps: expected a number of steps > 0, got 0"
    shouldThrow<IllegalArgumentException> { ramp.tau(-1) }.message shouldBe "step: expected a 0-based step >= 0, got -1"
  }

  test("LabelConventionGuard warns only after epoch 1, only on evidence, in the direction of its measure") {
    fun guard(higherIsSimilar: Boolean, warnings: MutableList<String>) =
      LabelConventionGuard(PairConvention.ONE_MEANS_SIMILAR, higherIsSimilar) { warnings += it }
    fun epoch(g: LabelConventionGuard, epoch: Int, positive: Double, negative: Double) =
      g.onEpochEnd(epoch, mapOf("mean_positive_distance" to positive, "mean_negative_distance" to negative), RecordingControl())

    val seen = mutableListOf<String>()
    val distances = guard(higherIsSimilar = false, seen)
    distances.onTrainBegin(RecordingControl())
    epoch(distances, 1, 0.5, 0.5) // a tie is no evidence
    epoch(distances, 1, 0.25, 0.5)
    epoch(distances, 2, 0.75, 0.5) // only epoch 1 is read
    seen shouldBe emptyList()
    distances.warning shouldBe null
    epoch(distances, 1, 0.75, 0.5)
    seen.size shouldBe 1
    seen[0] shouldContain "under ONE_MEANS_SIMILAR (label 1 = similar) were further apart on average (mean_positive_distance 0.7500) than those labelled dissimilar (0.5000)"
    seen[0] shouldContain "seem to follow ONE_MEANS_DISSIMILAR (label 1 = dissimilar)"
    distances.warning shouldBe seen[0]
    distances.onTrainBegin(RecordingControl())
    distances.warning shouldBe null

    val similarities = guard(higherIsSimilar = true, seen)
    epoch(similarities, 1, 0.75, 0.5)
    epoch(similarities, 1, 0.5, 0.5)
    seen.size shouldBe 1
    epoch(similarities, 1, 0.25, 0.5)
    seen.size shouldBe 2
    seen[1] shouldContain "were less similar on average (mean_positive_distance 0.2500)"

    val flipped = LabelConventionGuard(PairConvention.ONE_MEANS_DISSIMILAR) { seen += it }
    epoch(flipped, 1, 0.75, 0.5)
    seen[2] shouldContain "under ONE_MEANS_DISSIMILAR (label 1 = dissimilar)"
    seen[2] shouldContain "seem to follow ONE_MEANS_SIMILAR (label 1 = similar)"

    // a run whose logs lack either metric (no pairs of that kind were seen) gives no warning and no error
    val partial = guard(higherIsSimilar = false, seen)
    partial.onEpochEnd(1, mapOf("mean_positive_distance" to 0.75), RecordingControl())
    partial.onEpochEnd(1, mapOf("mean_negative_distance" to 0.5), RecordingControl())
    partial.warning shouldBe null
    seen.size shouldBe 3
  }

  test("LabelConventionGuard's default sink prints the warning on standard error") {
    val err = java.io.ByteArrayOutputStream()
    val saved = System.err
    System.setErr(java.io.PrintStream(err, true, "UTF-8"))
    val guard = LabelConventionGuard(PairConvention.ONE_MEANS_SIMILAR)
    try {
      guard.onEpochEnd(1, mapOf("mean_positive_distance" to 0.75, "mean_negative_distance" to 0.5), RecordingControl())
    } finally {
      System.setErr(saved)
    }
    err.toString("UTF-8").trim() shouldBe guard.warning
  }
})
