package io.github.kontrast.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
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

  test("./kontrast contrastive-loss prints the four numbers next to the document's") {
    val ran = kontrast("contrastive-loss")
    ran.code shouldBe 0
    val rows = ran.out.lines().mapNotNull { Regex("^y1, y[23], flag [01] .*\\s(\\S+)\\s+(\\S+)$").find(it)?.destructured?.let { (ours, doc) -> "$ours $doc" } }
    rows shouldContainExactly listOf("0.0000 0.0", "4.0000 4.0", "2591.9998 2591.99", "0.0000 0.0")
  }
})
