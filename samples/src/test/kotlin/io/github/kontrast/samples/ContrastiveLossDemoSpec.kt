package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.floats.plusOrMinus
import io.kotest.matchers.shouldBe

class ContrastiveLossDemoSpec : FunSpec({
  test("document 000 prints 0.0, 4.0, 2591.99, 0.0") {
    val v = ContrastiveLossDemo.documentValues()
    v[0] shouldBe (0f plusOrMinus 1e-6f)
    v[1] shouldBe (4f plusOrMinus 1e-4f)
    // 2592 less the eps shift: (1134 + 4050) / 2 - eps * (54 + 108) / 2 * 2
    v[2] shouldBe (2591.9998f plusOrMinus 5e-4f)
    v[3] shouldBe (0f plusOrMinus 1e-6f)
  }
})
