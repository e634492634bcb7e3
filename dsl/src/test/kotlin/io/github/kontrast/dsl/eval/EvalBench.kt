package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import java.util.SplittableRandom

/**
 * Timing walkthrough for the evaluations at MNIST's size (not a test: run it by hand): k-NN of
 * 10,000 queries against 60,000 embeddings of 128 dimensions (TensorFlow blocks, and plain Kotlin
 * loops on 200 queries for comparison), PCA of 10,000 x 128, and linear-probe epochs on 60,000 x 128.
 *
 * `java -cp <dsl test classpath> io.github.kontrast.dsl.eval.EvalBench`
 */
object EvalBench {
  @JvmStatic
  fun main(args: Array<String>) {
    val r = SplittableRandom(1)
    val d = 128
    fun gaussian(n: Int) = FloatHostArray(FloatArray(n * d) { r.nextGaussian().toFloat() }, intArrayOf(n, d))
    val train = gaussian(60_000)
    val test = gaussian(10_000)
    val trainLabels = IntArray(60_000) { r.nextInt(10) }
    println("${Runtime.getRuntime().availableProcessors()} CPUs")

    for (block in listOf(256, 1024)) {
      val knn = KnnClassifier.create().withBlockSize(block)
      knn.predict(train, trainLabels, FloatHostArray(test.data.copyOf(1000 * d), intArrayOf(1000, d))) // warm-up
      val t0 = System.nanoTime()
      knn.predict(train, trainLabels, test)
      println("k-NN (k=200, t=0.1) 10,000 x 60,000 x 128, TensorFlow blocks of $block: ${"%.1f".format((System.nanoTime() - t0) / 1e9)} s")
    }

    // the same similarities and top-200 in plain loops, for 200 queries
    val tn = KnnClassifier.normalised(train)
    val qn = KnnClassifier.normalised(test)
    val t1 = System.nanoTime()
    val sims = FloatArray(60_000)
    var checksum = 0.0
    for (q in 0 until 200) {
      for (i in 0 until 60_000) {
        var s = 0f
        for (j in 0 until d) s += qn[q * d + j] * tn[i * d + j]
        sims[i] = s
      }
      val top = sims.indices.sortedByDescending { sims[it] }.take(200)
      checksum += top[0]
    }
    val loopSeconds = (System.nanoTime() - t1) / 1e9
    println("plain loops, 200 queries: ${"%.1f".format(loopSeconds)} s, so about ${"%.0f".format(loopSeconds * 50)} s for 10,000 (checksum $checksum)")

    val t2 = System.nanoTime()
    Pca.fit(test, 2)
    println("PCA of 10,000 x 128: ${"%.2f".format((System.nanoTime() - t2) / 1e9)} s")

    val t3 = System.nanoTime()
    LinearProbe.create().withEpochs(5).fit(train, trainLabels)
    println("linear probe, 5 epochs of 60,000 x 128 at batch 256: ${"%.1f".format((System.nanoTime() - t3) / 1e9)} s")
  }
}
