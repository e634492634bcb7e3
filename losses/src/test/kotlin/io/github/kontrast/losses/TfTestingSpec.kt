package io.github.kontrast.losses

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The test helpers must be able to fail: a check that cannot fail proves nothing. */
class TfTestingSpec : FunSpec({
  val x = mat(f(1, 2), f(-1, 0.5))

  test("a gradient the loss does not reach fails, it is not turned into zeros") {
    Tf.connected(listOf(x, x.copy())) { tf, (a, b) -> tf.math.add(tf.math.square(a), tf.stopGradient(b)) } shouldBe listOf(true, false)
    shouldThrow<AssertionError> {
      Tf.gradients(listOf(x, x.copy())) { tf, (a, b) -> tf.math.add(tf.math.square(a), tf.stopGradient(b)) }
    }.message shouldContain "input 1"
    // an input that is read but multiplied by 0 is connected, with a zero gradient
    Tf.gradients(listOf(x, x.copy())) { tf, (a, b) -> tf.math.add(tf.math.square(a), tf.math.mul(b, tf.constant(0f))) }[1]
      .shouldMatch(List(4) { 0.0 })
  }

  test("checkGradients fails on a gradient off by 1% and on a wrong value") {
    // d/dx sum(x^2) = 2x; a reference of 1.01 x^2 differs by 1%
    Tf.checkGradients(listOf(x), reference = { (a) -> a.data.sumOf { it * it } }) { tf, (a) -> tf.math.square(a) }
    shouldThrow<AssertionError> {
      Tf.checkGradients(listOf(x), reference = { (a) -> a.data.sumOf { 1.01 * it * it } }) { tf, (a) -> tf.math.square(a) }
    }
    shouldThrow<AssertionError> {
      Tf.checkGradients(listOf(x), reference = { (a) -> a.data.sumOf { it * it } + 0.01 }) { tf, (a) -> tf.math.square(a) }
    }.message shouldContain "reference"
  }

  test("near is relative: 1e-4 off on 0.01 fails; shouldMatch checks sizes first") {
    (0.0101f near 0.01) shouldBe false
    (0.0100001f near 0.01) shouldBe true
    (2591.9f near 2592.0) shouldBe false
    shouldThrow<AssertionError> { f(1, 2).shouldMatch(listOf(1.0, 2.0, 3.0)) }.message shouldContain "2 values, expected 3"
    shouldThrow<AssertionError> { f(1, 2, 3).shouldMatch(listOf(1.0, 2.0)) }
  }
})
