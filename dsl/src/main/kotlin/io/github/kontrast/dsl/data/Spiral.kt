package io.github.kontrast.dsl.data

import java.util.SplittableRandom
import kotlin.math.PI
import kotlin.math.abs
import kotlin.math.cos
import kotlin.math.sin

/**
 * Document 002's training set: points on a noisy spiral, each with the parameter r that made it.
 *
 * ```
 * points = Table[r -> AngleVector[{r + RandomReal[5.5], r + RandomReal[0.1]}] / 15, {r, 0, 6 Pi, .002}]
 * ```
 * AngleVector[{radius, angle}] is {radius cos(angle), radius sin(angle)}: the point at radius
 * r + U(0, 5.5) and angle r + U(0, 0.1), divided by 15. r runs from 0 to 6 pi in steps of 0.002
 * (9,425 points). The radial noise (5.5) nearly fills the 2 pi between two turns, so the points
 * make a band that covers the plane but for thin gaps (2 pi - 5.5 = 0.78 wide, 0.05 after the
 * division); points on either side of a gap lie close in the plane but about 2 pi apart in r.
 */
class Spiral private constructor(
  /** The parameter of every point: 0, 0.002, 0.004, ...: `[N]`. */
  val parameter: DoubleArray,
  /** The points, float `[N, 2]`. */
  val points: FloatHostArray,
) {
  /** Number of points. */
  val size: Int get() = parameter.size

  /**
   * Document 002's pair sampler: [pairsPerEpoch] random pairs an epoch, labelled 1 (Wolfram's
   * True: "maximise the distance") when their parameters differ by more than [threshold] (pi),
   * else 0. Read them with `PairConvention.ONE_MEANS_DISSIMILAR`.
   */
  @JvmOverloads
  fun pairs(pairsPerEpoch: Int, seed: Long = 0L, threshold: Double = PI): RandomPairs =
    RandomPairs(points, pairsPerEpoch, seed) { a, b -> if (abs(parameter[a] - parameter[b]) > threshold) 1f else 0f }

  /** The points as a dataset of [Batch.FIRST] rows (what `embed` reads). */
  fun toDataset(): ArrayDataset = ArrayDataset(Batch.FIRST to points)

  companion object {
    /** Step of the parameter r from one point to the next (this and the values below are the document's). */
    const val STEP = 0.002
    /** Radial noise: U(0, 5.5) is added to the radius r. */
    const val RADIUS_NOISE = 5.5
    /** Angular noise: U(0, 0.1) is added to the angle r. */
    const val ANGLE_NOISE = 0.1
    /** Every point is divided by 15. */
    const val SCALE = 15.0
    /** The last parameter value, 6 pi (three turns). */
    const val END = 6 * PI

    /** The document's spiral, its noise drawn from [seed]. */
    @JvmStatic
    @JvmOverloads
    fun generate(
      seed: Long = 0L,
      end: Double = END,
      step: Double = STEP,
      radiusNoise: Double = RADIUS_NOISE,
      angleNoise: Double = ANGLE_NOISE,
      scale: Double = SCALE,
    ): Spiral {
      require(end > 0 && step > 0) { "end and step must be > 0, got end $end, step $step" }
      require(radiusNoise >= 0 && angleNoise >= 0) { "noise must be >= 0, got radius $radiusNoise, angle $angleNoise" }
      require(scale > 0) { "scale must be > 0, got $scale" }
      // Table[..., {r, 0, end, step}] includes end when it falls on the grid; the small slack absorbs rounding
      val n = Math.floor(end / step + 1e-9).toInt() + 1
      val r = SplittableRandom(seed)
      val parameter = DoubleArray(n) { it * step }
      val xy = FloatArray(2 * n)
      for (i in 0 until n) {
        val radius = parameter[i] + r.nextDouble() * radiusNoise
        val angle = parameter[i] + r.nextDouble() * angleNoise
        xy[2 * i] = (radius * cos(angle) / scale).toFloat()
        xy[2 * i + 1] = (radius * sin(angle) / scale).toFloat()
      }
      return Spiral(parameter, FloatHostArray(xy, intArrayOf(n, 2)))
    }

    /**
     * Wolfram's CoordinateBoundsArray[{{-extent, extent}, {-extent, extent}}, step] flattened to
     * float [K * K, 2], x varying slowest: the grid document 002 draws the embedding on
     * (extent 1.3, step 0.05: 53 x 53 points).
     */
    @JvmStatic
    @JvmOverloads
    fun grid(extent: Double = 1.3, step: Double = 0.05): FloatHostArray {
      require(extent > 0 && step > 0) { "extent and step must be > 0, got extent $extent, step $step" }
      val k = Math.floor(2 * extent / step + 1e-9).toInt() + 1
      val xy = FloatArray(2 * k * k)
      for (i in 0 until k) for (j in 0 until k) {
        xy[2 * (i * k + j)] = (-extent + i * step).toFloat()
        xy[2 * (i * k + j) + 1] = (-extent + j * step).toFloat()
      }
      return FloatHostArray(xy, intArrayOf(k * k, 2))
    }
  }
}
