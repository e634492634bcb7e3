package io.github.kontrast.samples

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class ArgsSpec : FunSpec({
  val known = setOf("epochs", "out")
  val flags = setOf("quiet")

  test("values, inline values and flags") {
    val a = Args(listOf("--epochs", "3", "--out=x", "--quiet"), known, flags)
    a.int("epochs", 5) shouldBe 3
    a.string("out") shouldBe "x"
    a.flag("quiet") shouldBe true
  }

  test("defaults when absent") {
    val a = Args(emptyList(), known, flags)
    a.int("epochs", 5) shouldBe 5
    a.flag("quiet") shouldBe false
  }

  test("an unknown option names itself and the known ones") {
    val e = shouldThrow<IllegalArgumentException> { Args(listOf("--epoch", "3"), known, flags) }
    e.message shouldContain "--epoch"
    e.message shouldContain "--epochs"
  }

  test("a bad number names the option and the value") {
    val e = shouldThrow<IllegalArgumentException> { Args(listOf("--epochs", "five"), known, flags).int("epochs", 5) }
    e.message shouldContain "--epochs"
    e.message shouldContain "five"
    shouldThrow<IllegalArgumentException> { Args(listOf("--epochs", "0"), known, flags).int("epochs", 5) }
      .message shouldContain ">= 1"
  }

  test("a missing value is an error") {
    shouldThrow<IllegalArgumentException> { Args(listOf("--out"), known, flags) }.message shouldContain "--out needs a value"
  }
})
