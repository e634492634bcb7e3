package io.github.kontrast.dsl.text

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

class TextAugmentationSpec : FunSpec({
  val words = "a grinning face with big eyes and a smile".split(" ")

  test("word dropout: p 0 keeps everything; p 0.3 drops about 30%; never empties a caption") {
    WordDropout(0.0).apply(words, SplittableRandom(1)) shouldBe words
    var kept = 0
    val r = SplittableRandom(2)
    repeat(2000) { kept += WordDropout(0.3).apply(words, r).size }
    (kept / (2000.0 * words.size)) shouldBe (0.7 plusOrMinus 0.01)
    repeat(200) { WordDropout(0.99).apply(listOf("cat", "face"), SplittableRandom(it.toLong())).size shouldBe 1 }
    // the kept words stay in order
    val out = WordDropout(0.5).apply(words.indices.map { "w$it" }, SplittableRandom(3))
    out.map { it.drop(1).toInt() } shouldBe out.map { it.drop(1).toInt() }.sorted()
    shouldThrow<IllegalArgumentException> { WordDropout(1.0) }.message shouldContain "[0, 1)"
  }

  test("local shuffle: a permutation in which no word moves window or more places; window 1 changes nothing") {
    val ids = (0 until 12).map { "$it" }
    LocalShuffle(1).apply(ids, SplittableRandom(1)) shouldBe ids
    val seen = HashSet<List<String>>()
    repeat(500) { seed ->
      val out = LocalShuffle(3).apply(ids, SplittableRandom(seed.toLong()))
      out.sorted() shouldBe ids.sorted()
      out.forEachIndexed { pos, w -> (Math.abs(pos - w.toInt()) < 3) shouldBe true }
      seen += out
    }
    (seen.size > 100) shouldBe true
    // three words, window 2: only neighbours swap, so these three orders and no others
    val small = (0 until 2000).map { LocalShuffle(2).apply(listOf("a", "b", "c"), SplittableRandom(it.toLong())) }.toSet()
    small shouldBe setOf(listOf("a", "b", "c"), listOf("b", "a", "c"), listOf("a", "c", "b"))
  }

  test("every augmentation repeats itself for the same seed") {
    val thesaurus = Thesaurus.of(listOf("big|large|huge", "smile|grin"))
    val aug = TextAugmentation.chain(SynonymReplacement(thesaurus, 0.5), LocalShuffle(3), WordDropout(0.2))
    repeat(20) { s -> aug.apply(words, SplittableRandom(s.toLong())) shouldBe aug.apply(words, SplittableRandom(s.toLong())) }
    (0 until 20).map { aug.apply(words, SplittableRandom(it.toLong())) }.toSet().size shouldBe 20
  }

  test("synonym replacement: p 1 replaces every word that has synonyms, each synonym drawn; multi-word ones split") {
    val thesaurus = Thesaurus.of(listOf("big|large|huge", "face|visage|human face", "# comment", ""))
    val aug = SynonymReplacement(thesaurus, 1.0)
    val drawn = HashMap<List<String>, Int>()
    repeat(900) {
      val out = aug.apply(listOf("big", "red", "face"), SplittableRandom(it.toLong()))
      drawn.merge(out, 1, Int::plus)
    }
    drawn.keys shouldBe setOf(
      listOf("large", "red", "visage"), listOf("huge", "red", "visage"),
      listOf("large", "red", "human", "face"), listOf("huge", "red", "human", "face"),
    )
    drawn.values.forEach { (it / 900.0) shouldBe (0.25 plusOrMinus 0.06) }
    SynonymReplacement(thesaurus, 0.0).apply(listOf("big", "face"), SplittableRandom(1)) shouldBe listOf("big", "face")
  }

  test("synonym replacement within a vocabulary uses only synonyms the encoder knows") {
    val thesaurus = Thesaurus.of(listOf("big|large|huge|enormous"))
    val aug = SynonymReplacement(thesaurus, 1.0, vocabulary = Vocabulary.of(listOf("big", "huge", "cat")))
    aug.candidates("big") shouldBe listOf(listOf("huge"))
    repeat(20) { aug.apply(listOf("big", "cat"), SplittableRandom(it.toLong())) shouldBe listOf("huge", "cat") }
  }

  test("the shipped thesaurus parses and knows caption words; a malformed line names its number") {
    val shipped = Thesaurus.shipped()
    shipped.synonyms("happy") shouldBe listOf("glad", "joyful", "cheerful")
    shipped.synonyms("Seven") shouldBe listOf("septet")
    shipped.synonyms("xylophone-ish") shouldBe emptyList()
    shouldThrow<IllegalArgumentException> { Thesaurus.of(listOf("big|large", "lonely"), "list") }.message shouldContain "list line 2"
  }

  test("back-translation goes to the pivot language and back through the given translator, then splits again") {
    val calls = mutableListOf<String>()
    val translator = Translator { text, source, target ->
      calls += "$source>$target:$text"
      when (target) {
        "de" -> "ein grinsendes Gesicht"
        else -> "A grinning face!"
      }
    }
    val aug = BackTranslation(translator, pivot = "de")
    aug.apply(listOf("grinning", "face"), SplittableRandom(1)) shouldBe listOf("a", "grinning", "face")
    calls shouldBe listOf("en>de:grinning face", "de>en:ein grinsendes Gesicht")
    shouldThrow<IllegalArgumentException> { BackTranslation(translator, pivot = "en") }.message shouldContain "pivot"
  }
})
