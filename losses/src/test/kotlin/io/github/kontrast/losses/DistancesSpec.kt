package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.sqrt

class DistancesSpec : FunSpec({
  val a = mat(f(1, 2, 2), f(0, 0, 0), f(-1, 0.5, 3))
  val b = mat(f(0, 2, 0), f(0, 0, 0), f(2, 2, 2))

  fun ref(name: String, x: DoubleArray, y: DoubleArray): Double = when (name) {
    "euclidean" -> sqrt(x.indices.sumOf { val t = x[it] - y[it] + 1e-6; t * t })
    "squaredEuclidean" -> Ref.sqDist(x, y)
    "cosine" -> if (Ref.norm(x) == 0.0 || Ref.norm(y) == 0.0) 0.0 else Ref.cos(x, y)
    "dot" -> Ref.dot(x, y)
    "cosineDistance" -> 1 - (if (Ref.norm(x) == 0.0 || Ref.norm(y) == 0.0) 0.0 else Ref.cos(x, y))
    else -> error(name)
  }

  val all = listOf(Distances.euclidean(), Distances.squaredEuclidean(), Distances.cosine(), Distances.dot(), Distances.cosineDistance())

  test("pairwise values match plain-double references") {
    for (d in all) {
      val got = Tf.eagerOn(listOf(a, b)) { tf, (x, y) -> d.pairwise(tf, x, y) }
      got.size shouldBe 3
      got.forEachIndexed { i, v -> (v near ref(d.name(), a.row(i), b.row(i))) shouldBe true }
    }
  }

  test("matrix values match references for every pair (N=3, M=2)") {
    val b2 = mat(f(0, 2, 0), f(2, 2, 2))
    for (d in all) {
      val got = Tf.eagerOn(listOf(a, b2)) { tf, (x, y) -> d.matrix(tf, x, y) }
      got.size shouldBe 6
      for (i in 0 until 3) for (j in 0 until 2) {
        // the matrix form guards sqrt at 1e-12 instead of shifting by 1e-6: differences are ~1e-6
        val expected = if (d.name() == "euclidean") sqrt(maxOf(Ref.sqDist(a.row(i), b2.row(j)), 1e-12)) else ref(d.name(), a.row(i), b2.row(j))
        (got[i * 2 + j] near expected) shouldBe true
      }
    }
  }

  test("similarity flags and names") {
    all.map { it.name() to it.isSimilarity() } shouldBe listOf(
      "euclidean" to false, "squaredEuclidean" to false, "cosine" to true, "dot" to true, "cosineDistance" to false)
  }

  test("Euclidean and cosine gradients are finite for identical rows and zero vectors") {
    val same = mat(f(1, 2, 3), f(0, 0, 0))
    for (d in all) {
      val g = Tf.gradients(listOf(same, same.copy())) { tf, (x, y) -> d.pairwise(tf, x, y) }
      g.forEach { it.shouldBeFinite("d ${d.name()} at identical rows") }
      val gm = Tf.gradients(listOf(same)) { tf, (x) -> d.matrix(tf, x, x) }
      gm[0].shouldBeFinite("matrix ${d.name()} of a batch with itself")
    }
    // sqrt(sum((1e-6)^2 * 3)) has gradient 1/sqrt(3) per component, like PyTorch's pairwise_distance
    val g = Tf.gradients(listOf(mat(f(1, 2, 3)), mat(f(1, 2, 3)))) { tf, (x, y) -> Distances.euclidean().pairwise(tf, x, y) }
    g[0].forEach { (it near 1 / sqrt(3.0)) shouldBe true }
  }

  test("gradients match finite differences") {
    val rnd = kotlin.random.Random(3)
    for (d in all) {
      Tf.checkGradients(listOf(randomMat(rnd, 3, 4), randomMat(rnd, 3, 4))) { tf, (x, y) -> d.pairwise(tf, x, y) }
      Tf.checkGradients(listOf(randomMat(rnd, 3, 4), randomMat(rnd, 2, 4))) { tf, (x, y) -> d.matrix(tf, x, y) }
    }
  }

  test("bad shapes are rejected with the shapes in the message") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        Distances.cosine().matrix(tf, Tf.constant(tf, mat(f(1, 2))), Tf.constant(tf, mat(f(1, 2, 3))))
      }.message.let { it shouldContain "[1, 2]"; it shouldContain "[1, 3]" }
      shouldThrow<IllegalArgumentException> {
        Distances.euclidean().pairwise(tf, Tf.constant(tf, mat(f(1, 2), f(1, 2))), Tf.constant(tf, mat(f(1, 2))))
      }.message shouldContain "same shape"
      tf.constant(0f)
    }
  }
})
