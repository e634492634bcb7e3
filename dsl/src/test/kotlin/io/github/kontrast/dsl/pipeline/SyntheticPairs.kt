package io.github.kontrast.dsl.pipeline

import io.github.kontrast.dsl.data.ArrayDataset
import io.github.kontrast.dsl.data.Batch
import io.github.kontrast.dsl.data.FloatHostArray
import java.util.SplittableRandom

/**
 * An easy pair task for fast tests: 6x6x1 images of two classes (a bright left or right half,
 * plus noise); half the pairs share a class (label 1), half do not (label 0).
 */
object SyntheticPairs {
  const val SIDE = 6

  fun image(cls: Int, r: SplittableRandom, out: FloatArray, at: Int) {
    for (y in 0 until SIDE) for (x in 0 until SIDE) {
      val bright = if (cls == 0) x < SIDE / 2 else x >= SIDE / 2
      out[at + y * SIDE + x] = (if (bright) 0.8f else 0.1f) + (r.nextDouble() * 0.2).toFloat()
    }
  }

  fun pairs(n: Int, seed: Long): ArrayDataset {
    val r = SplittableRandom(seed)
    val px = SIDE * SIDE
    val a = FloatArray(n * px)
    val b = FloatArray(n * px)
    val y = FloatArray(n)
    for (i in 0 until n) {
      val c1 = r.nextInt(2)
      val same = i % 2 == 0
      val c2 = if (same) c1 else 1 - c1
      image(c1, r, a, i * px)
      image(c2, r, b, i * px)
      y[i] = if (same) 1f else 0f
    }
    val shape = intArrayOf(n, SIDE, SIDE, 1)
    return ArrayDataset(
      mapOf(Batch.FIRST to FloatHostArray(a, shape), Batch.SECOND to FloatHostArray(b, shape), Batch.LABEL to FloatHostArray(y, intArrayOf(n))),
    )
  }
}
