package io.github.kontrast.dsl.text

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

class TokenizerSpec : FunSpec({
  test("the standard analyzer: Unicode word boundaries, lower case, no stop words dropped") {
    val w = WordTokenizer.standard()
    w.words("Grinning Face, with BIG Eyes!") shouldBe listOf("grinning", "face", "with", "big", "eyes")
    w.words("flag-va: San Marino") shouldBe listOf("flag", "va", "san", "marino")
    w.words("clock face nine o'clock, 11.30") shouldBe listOf("clock", "face", "nine", "o'clock", "11.30")
    w.words("  ...  ") shouldBe emptyList()
  }

  test("the English analyzer drops stop words and stems") {
    WordTokenizer.english().words("The cats of the houses are running") shouldBe listOf("cat", "hous", "run")
  }

  test("byName knows the two named analyzers and says what it expected otherwise") {
    WordTokenizer.byName("english").name shouldBe "english"
    shouldThrow<IllegalArgumentException> { WordTokenizer.byName("bert") }.message shouldContain "'standard' or 'english'"
  }

  test("vocabulary: padding 0, unknown 1, then by frequency, ties alphabetical; min frequency and max size") {
    val texts = listOf(listOf("a", "cat", "face"), listOf("a", "dog", "face"), listOf("a", "cat"), listOf("zebra"))
    val v = Vocabulary.build(texts)
    v.words shouldBe listOf("<pad>", "<unk>", "a", "cat", "face", "dog", "zebra")
    v.id("cat") shouldBe 3
    v.id("unicorn") shouldBe Vocabulary.UNKNOWN_ID
    v.id("<pad>") shouldBe Vocabulary.UNKNOWN_ID // a caption cannot produce the padding id
    ("dog" in v) shouldBe true
    Vocabulary.build(texts, minFrequency = 2).words shouldBe listOf("<pad>", "<unk>", "a", "cat", "face")
    Vocabulary.build(texts, maxSize = 4).words shouldBe listOf("<pad>", "<unk>", "a", "cat")
    shouldThrow<IllegalArgumentException> { Vocabulary.build(texts, minFrequency = 0) }.message shouldContain "minFrequency"
    shouldThrow<IllegalArgumentException> { Vocabulary.build(texts, maxSize = 1) }.message shouldContain "maxSize"
  }

  test("vocabulary file: one word per line, read back the same; a file without the special lines fails") {
    val dir = Files.createTempDirectory("vocab")
    val v = Vocabulary.of(listOf("smiling", "face", "o'clock"))
    v.save(dir.resolve("v.txt"))
    Files.readAllLines(dir.resolve("v.txt")) shouldBe listOf("<pad>", "<unk>", "smiling", "face", "o'clock")
    Vocabulary.load(dir.resolve("v.txt")).words shouldBe v.words
    Files.write(dir.resolve("bad.txt"), listOf("face", "smiling"))
    shouldThrow<IllegalArgumentException> { Vocabulary.load(dir.resolve("bad.txt")) }.message shouldContain "must start with"
    shouldThrow<IllegalArgumentException> { Vocabulary.of(listOf("a", "a")) }.message shouldContain "repeated"
  }

  test("encode: ids, padding after the words, truncation to maxLength, mask 1 at words and 0 at padding") {
    val t = Tokenizer.fit(listOf("a smiling cat face", "a dog"), maxLength = 3)
    // frequencies: a 2, then cat dog face smiling once each
    t.vocabulary.words shouldBe listOf("<pad>", "<unk>", "a", "cat", "dog", "face", "smiling")
    val b = t.encode(listOf("A dog", "a smiling cat face", "", "a unicorn"))
    b.tokens.shape.toList() shouldBe listOf(4, 3)
    b.tokens.data.toList() shouldBe listOf(2, 4, 0, 2, 6, 3, 0, 0, 0, 2, 1, 0)
    b.mask.data.toList() shouldBe listOf(1f, 1f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 1f, 1f, 0f)
    (0 until 4).map { b.length(it) } shouldBe listOf(2, 3, 0, 2)
    t.decode(b, 1) shouldBe "a smiling cat"
    t.decode(b, 3) shouldBe "a <unk>"
  }

  test("save and load give the same ids; the settings file names the analyzer and the length") {
    val dir = Files.createTempDirectory("tok")
    val t = Tokenizer.fit(listOf("grinning face", "cat face", "dog"), maxLength = 5, words = WordTokenizer.english())
    t.save(dir)
    Files.readAllLines(dir.resolve(Tokenizer.SETTINGS_FILE)).filter { !it.startsWith("#") }.sorted() shouldBe
      listOf("maxLength=5", "padId=0", "unknownId=1", "words=english")
    val back = Tokenizer.load(dir)
    back.words.name shouldBe "english"
    back.maxLength shouldBe 5
    val texts = listOf("Grinning cats", "the faces of dogs")
    back.encode(texts).tokens.data.toList() shouldBe t.encode(texts).tokens.data.toList()
    shouldThrow<IllegalArgumentException> { Tokenizer.load(Files.createTempDirectory("empty")) }.message shouldContain Tokenizer.SETTINGS_FILE
    shouldThrow<IllegalArgumentException> { Tokenizer(WordTokenizer.standard(), t.vocabulary, 0) }.message shouldContain "maxLength"
  }
})
