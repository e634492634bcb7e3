package io.github.kontrast.dsl.eval

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.IntHostArray
import io.github.kontrast.dsl.data.LabeledImages
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom

/** The Java usage compiles (javac) and gives what the Kotlin calls give. */
class EvalApiSpec : FunSpec({
  test("the evaluations from Java") {
    val r = SplittableRandom(6)
    fun set(n: Int): LabeledImages {
      val labels = IntArray(n) { it % 2 }
      // class 1 near (3, 3, 0, 0), class 0 near (0, 0, 3, 3): apart in direction, as cosine k-NN needs
      val images = FloatArray(n * 4) { i -> (if ((labels[i / 4] == 1) == (i % 4 < 2)) 3f else 0f) + r.nextGaussian().toFloat() * 0.3f }
      return LabeledImages(FloatHostArray(images, intArrayOf(n, 2, 2, 1)), IntHostArray(labels, intArrayOf(n)))
    }
    val train = set(80)
    val test = set(40)
    val out = JavaEvalUsage.run(train, test)
    val flat = EmbeddingFunction { x -> FloatHostArray(x.data, intArrayOf(x.rows, 4)) }
    out["knn"] shouldBe KnnClassifier.create().withK(5).evaluate(flat, train, test)
    (out["knn"] as Double) shouldBe (1.0 plusOrMinus 1e-12)
    out["probe"] shouldBe LinearProbe.create().withEpochs(10).withBatchSize(16).withSeed(3).evaluate(flat, train, test).accuracy
    out["pca"] shouldBe Pca.fit(flat.embed(test.images)).explainedVarianceRatio[0]
    out["std"] shouldBe CollapseMonitor.embeddingStd(flat.embed(test.images))
    out["monitor"] shouldBe "embedding_std"
  }
})
