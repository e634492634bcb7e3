package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.PI
import kotlin.math.abs
import kotlin.math.atan2
import kotlin.math.cos
import kotlin.math.hypot
import kotlin.math.sin

/** Document 002's spiral, its grid, and the random pair sampler. */
class SpiralSpec : FunSpec({
  test("r runs from 0 to 6 pi in steps of 0.002: 9,425 points") {
    val s = Spiral.generate(seed = 1)
    s.size shouldBe 9425
    s.points.shape.toList() shouldBe listOf(9425, 2)
    s.parameter[0] shouldBe 0.0
    s.parameter[1] shouldBe (0.002 plusOrMinus 1e-15)
    s.parameter.last() shouldBe (18.848 plusOrMinus 1e-12)
    (s.parameter.last() <= 6 * PI) shouldBe true
  }

  test("AngleVector[{radius, angle}]: the point sits at radius r + U(0, 5.5) and angle r + U(0, 0.1), over 15") {
    val s = Spiral.generate(seed = 2)
    var radialSpread = 0.0
    for (i in 0 until s.size) {
      val x = s.points.data[2 * i].toDouble() * 15
      val y = s.points.data[2 * i + 1].toDouble() * 15
      val r = s.parameter[i]
      val radius = hypot(x, y)
      (radius >= r - 1e-4 && radius <= r + 5.5 + 1e-4) shouldBe true
      radialSpread = maxOf(radialSpread, radius - r)
      // the angle, brought into [0, 2 pi) relative to r, is within the 0.1 of noise
      val turn = ((atan2(y, x) - r) % (2 * PI) + 2 * PI) % (2 * PI)
      (turn <= 0.1 + 1e-4 || turn >= 2 * PI - 1e-4) shouldBe true
    }
    // the noise is really there, and as wide as the document's 5.5
    (radialSpread > 5.4) shouldBe true
  }

  test("without noise the points lie on r (cos r, sin r) / 15; the same seed gives the same points") {
    val s = Spiral.generate(radiusNoise = 0.0, angleNoise = 0.0, end = 1.0, step = 0.5)
    s.size shouldBe 3
    for (i in 0 until 3) {
      val r = 0.5 * i
      s.points.data[2 * i].toDouble() shouldBe (r * cos(r) / 15 plusOrMinus 1e-7)
      s.points.data[2 * i + 1].toDouble() shouldBe (r * sin(r) / 15 plusOrMinus 1e-7)
    }
    Spiral.generate(seed = 5).points.data.contentEquals(Spiral.generate(seed = 5).points.data) shouldBe true
    Spiral.generate(seed = 5).points.data.contentEquals(Spiral.generate(seed = 6).points.data) shouldBe false
  }

  test("the document's grid: [-1.3, 1.3]^2 at step 0.05 is 53 x 53 points, x varying slowest") {
    val g = Spiral.grid()
    g.shape.toList() shouldBe listOf(53 * 53, 2)
    fun at(k: Int) = g.data[2 * k].toDouble() to g.data[2 * k + 1].toDouble()
    at(0).first shouldBe (-1.3 plusOrMinus 1e-6); at(0).second shouldBe (-1.3 plusOrMinus 1e-6)
    at(1).first shouldBe (-1.3 plusOrMinus 1e-6); at(1).second shouldBe (-1.25 plusOrMinus 1e-6)
    at(53).first shouldBe (-1.25 plusOrMinus 1e-6); at(53).second shouldBe (-1.3 plusOrMinus 1e-6)
    at(53 * 53 - 1).first shouldBe (1.3 plusOrMinus 1e-6); at(53 * 53 - 1).second shouldBe (1.3 plusOrMinus 1e-6)
  }

  test("pairs are labelled 1 (Wolfram's True) exactly when their parameters differ by more than pi") {
    val s = Spiral.generate(seed = 3)
    val pairs = s.pairs(512 * 4, seed = 9)
    var ones = 0
    var total = 0
    pairs.batches(512, seed = 1, epoch = 0).use { it.forEach { b ->
      val first = b.floats(Batch.FIRST).data
      val second = b.floats(Batch.SECOND).data
      val label = b.floats(Batch.LABEL).data
      b.size shouldBe 512
      for (k in 0 until b.size) {
        // find the rows back by their coordinates (the spiral's points are distinct)
        val ra = s.parameter[rowOf(s, first[2 * k], first[2 * k + 1])]
        val rb = s.parameter[rowOf(s, second[2 * k], second[2 * k + 1])]
        label[k] shouldBe (if (abs(ra - rb) > PI) 1f else 0f)
        ones += label[k].toInt()
        total++
      }
    } }
    // r uniform on [0, 6 pi]: P(|ra - rb| > pi) = (5/6)^2 = 0.694
    (ones.toDouble() / total) shouldBe (25.0 / 36 plusOrMinus 0.03)
  }

  test("every batch is a fresh draw, repeatable from the seeds; first members of a batch are distinct rows") {
    val s = Spiral.generate(seed = 3)
    val pairs = s.pairs(64 * 3, seed = 4)
    fun epoch(e: Int, seed: Long = 1) = pairs.batches(64, seed = seed, epoch = e).use { it.asSequence().map { b -> b.floats(Batch.FIRST).data.toList() }.toList() }
    val e0 = epoch(0)
    e0.size shouldBe 3
    e0 shouldBe epoch(0)
    e0[0] shouldNotBe e0[1]
    epoch(1)[0] shouldNotBe e0[0]
    epoch(0, seed = 2)[0] shouldNotBe e0[0]
    val rows = e0[0].chunked(2).toSet()
    rows.size shouldBe 64
    // random access: the same pair for the same index
    pairs.batch(intArrayOf(5, 7)).floats(Batch.FIRST).data.toList() shouldBe pairs.batch(intArrayOf(5, 7)).floats(Batch.FIRST).data.toList()
  }

  test("bad arguments are refused, naming them") {
    shouldThrow<IllegalArgumentException> { Spiral.generate(step = 0.0) }.message shouldContain "end and step must be > 0, got end"
    shouldThrow<IllegalArgumentException> { Spiral.generate().pairs(0) }.message shouldBe "size must be > 0 pairs, got 0"
    shouldThrow<IllegalArgumentException> { Spiral.grid(step = -1.0) }.message shouldBe "extent and step must be > 0, got extent 1.3, step -1.0"
  }
}) {
  companion object {
    private val index = HashMap<Spiral, Map<Pair<Float, Float>, Int>>()

    fun rowOf(s: Spiral, x: Float, y: Float): Int =
      index.getOrPut(s) { (0 until s.size).associateBy { s.points.data[2 * it] to s.points.data[2 * it + 1] } }.getValue(x to y)
  }
}
