package io.github.kontrast.losses.distances

import io.github.kontrast.losses.*
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

  fun matrixRef(name: String, x: DoubleArray, y: DoubleArray): Double =
    if (name == "euclidean") sqrt(maxOf(Ref.sqDist(x, y), 1e-12)) else ref(name, x, y)

  val all = listOf(Distances.euclidean(), Distances.squaredEuclidean(), Distances.cosine(), Distances.dot(), Distances.cosineDistance())

  test("pairwise values match plain-double references") {
    for (d in all) {
      val got = Tf.eagerOn(listOf(a, b)) { tf, (x, y) -> d.pairwise(tf, x, y) }
      got.shouldMatch((0 until 3).map { i -> ref(d.name(), a.row(i), b.row(i)) }, d.name())
    }
  }

  test("matrix values match references for every pair (N=3, M=2)") {
    val b2 = mat(f(0, 2, 0), f(2, 2, 2))
    for (d in all) {
      val got = Tf.eagerOn(listOf(a, b2)) { tf, (x, y) -> d.matrix(tf, x, y) }
      // the matrix form guards sqrt at 1e-12 instead of shifting by 1e-6
      got.shouldMatch((0 until 3).flatMap { i -> (0 until 2).map { j -> matrixRef(d.name(), a.row(i), b2.row(j)) } }, d.name())
    }
  }

  test("similarity flags and names") {
    all.map { it.name() to it.isSimilarity() } shouldBe listOf(
      "euclidean" to false, "squaredEuclidean" to false, "cosine" to true, "dot" to true, "cosineDistance" to false)
  }

  test("gradients at identical rows and zero vectors have their hand-derived values") {
    // rows u = (1,2,3) and the zero vector, each paired with itself
    val u = doubleArrayOf(1.0, 2.0, 3.0)
    val same = mat(f(1, 2, 3), f(0, 0, 0))
    val s14 = sqrt(14.0)
    // pairwise, summed over the two rows, gradients for x then y:
    // euclidean: sqrt(sum((x - y + eps)^2)) has gradient eps/(sqrt(3) eps) = 1/sqrt(3) per component,
    //   like PyTorch's pairwise_distance; -1/sqrt(3) for y
    // squared Euclidean: 2(x - y) = 0
    // cosine (and 1 - cosine): the gradient of cos(x, y) at y = x is x/|x|^2 - x/|x|^2 = 0; at the
    //   zero vector the guard scales by 1e6 and the other row is 0: also 0
    // dot: y and x
    val pairwise = mapOf(
      "euclidean" to (List(6) { 1 / sqrt(3.0) } to List(6) { -1 / sqrt(3.0) }),
      "squaredEuclidean" to (List(6) { 0.0 } to List(6) { 0.0 }),
      "cosine" to (List(6) { 0.0 } to List(6) { 0.0 }),
      "dot" to (listOf(1.0, 2.0, 3.0, 0.0, 0.0, 0.0) to listOf(1.0, 2.0, 3.0, 0.0, 0.0, 0.0)),
      "cosineDistance" to (List(6) { 0.0 } to List(6) { 0.0 }),
    )
    // matrix of the batch with itself, summed over all four entries, gradient for the batch:
    // euclidean: the diagonal sits on the 1e-12 clamp (no gradient); entries (0,1) and (1,0) are
    //   |u - 0| = sqrt(14), each giving u/sqrt(14) to row 0 and -u/sqrt(14) to row 1
    // squared Euclidean: 2 |u|^2 through both off-diagonal entries: 4u and -4u
    // cosine: sum = |n(u) + n(0)|^2, so d/dn_i = 2 (n(u) + 0) = 2 n(u); row 0 projects it out
    //   (the gradient of a unit vector is orthogonal to it): 0; the zero row passes it times the
    //   guard's 1e6 (x * rsqrt(max(|x|^2, 1e-12))): 2e6 u/sqrt(14). 1 - cosine: the negation.
    // dot: sum = |u + 0|^2: 2u for both rows
    val matrix = mapOf(
      "euclidean" to (u.map { 2 * it / s14 } + u.map { -2 * it / s14 }),
      "squaredEuclidean" to (u.map { 4 * it } + u.map { -4 * it }),
      "cosine" to (List(3) { 0.0 } + u.map { 2e6 * it / s14 }),
      "dot" to (u.map { 2 * it } + u.map { 2 * it }),
      "cosineDistance" to (List(3) { 0.0 } + u.map { -2e6 * it / s14 }),
    )
    for (d in all) {
      val g = Tf.gradients(listOf(same, same.copy())) { tf, (x, y) -> d.pairwise(tf, x, y) }
      val (gx, gy) = pairwise.getValue(d.name())
      g[0].shouldMatch(gx, "pairwise ${d.name()} d/dx", atol = 1e-6)
      g[1].shouldMatch(gy, "pairwise ${d.name()} d/dy", atol = 1e-6)
      val gm = Tf.gradients(listOf(same)) { tf, (x) -> d.matrix(tf, x, x) }
      // the 1e6 guard factor is applied to float32 values: 1e-5 relative covers its rounding
      gm[0].shouldMatch(matrix.getValue(d.name()), "matrix ${d.name()} of a batch with itself", atol = 1e-6)
    }
  }

  test("gradients match finite differences of the plain-double references") {
    val rnd = kotlin.random.Random(3)
    for (d in all) {
      Tf.checkGradients(listOf(randomMat(rnd, 3, 4), randomMat(rnd, 3, 4)),
        reference = { (x, y) -> (0 until 3).sumOf { ref(d.name(), x.row(it), y.row(it)) } }) { tf, (x, y) -> d.pairwise(tf, x, y) }
      Tf.checkGradients(listOf(randomMat(rnd, 3, 4), randomMat(rnd, 2, 4)),
        reference = { (x, y) -> (0 until 3).sumOf { i -> (0 until 2).sumOf { j -> matrixRef(d.name(), x.row(i), y.row(j)) } } }) { tf, (x, y) -> d.matrix(tf, x, y) }
    }
  }

  test("bad shapes are rejected with the shapes in the message") {
    Tf.eager { tf ->
      shouldThrow<IllegalArgumentException> {
        Distances.cosine().matrix(tf, Tf.constant(tf, mat(f(1, 2))), Tf.constant(tf, mat(f(1, 2, 3))))
      }.message.let { it shouldContain "[1, 2]"; it shouldContain "[1, 3]" }
      shouldThrow<IllegalArgumentException> {
        Distances.euclidean().pairwise(tf, Tf.constant(tf, mat(f(1, 2), f(1, 2))), Tf.constant(tf, mat(f(1, 2))))
      }.message.let { it shouldContain "same shape"; it shouldContain "[2, 2]"; it shouldContain "[1, 2]" }
      tf.constant(0f)
    }
  }

  test("bad shapes in a graph fail when the graph is built") {
    Tf.graph { tf ->
      for (d in all) {
        shouldThrow<IllegalArgumentException> {
          d.matrix(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 5))
        }.message.let { it shouldContain "embedding sizes"; it shouldContain "[3, 4]"; it shouldContain "[2, 5]" }
        shouldThrow<IllegalArgumentException> {
          d.pairwise(tf, Tf.placeholder(tf, 3, 4), Tf.placeholder(tf, 2, 4))
        }.message.let { it shouldContain "[3, 4]"; it shouldContain "[2, 4]" }
        shouldThrow<IllegalArgumentException> {
          d.matrix(tf, Tf.placeholder(tf, 3, 4, 1), Tf.placeholder(tf, 2, 4))
        }.message.let { it shouldContain "rank 2"; it shouldContain "[3, 4, 1]" }
        d.matrix(tf, Tf.placeholder(tf, -1, 4), Tf.placeholder(tf, -1, 4))
      }
    }
  }
})
