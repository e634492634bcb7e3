package io.github.kontrast.dsl.text

import io.github.kontrast.dsl.data.CiData
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

class MythesThesaurusSpec : FunSpec({
  /** A MyThes pair of files; the .idx offsets are the byte positions of each entry in the .dat. */
  fun write(dir: Path, entries: List<Pair<String, List<String>>>, idxCount: Int? = null): Path {
    val dat = StringBuilder("UTF-8\n")
    val idx = mutableListOf<String>()
    for ((word, meanings) in entries) {
      idx += "$word|${dat.toString().toByteArray(Charsets.UTF_8).size}"
      dat.append("$word|${meanings.size}\n")
      meanings.forEach { dat.append(it).append('\n') }
    }
    Files.write(dir.resolve("th_test.dat"), dat.toString().toByteArray(Charsets.UTF_8))
    Files.write(dir.resolve("th_test.idx"), (listOf("UTF-8", "${idxCount ?: idx.size}") + idx.sorted()).joinToString("\n", postfix = "\n").toByteArray(Charsets.UTF_8))
    return dir.resolve("th_test.dat")
  }

  val entries = listOf(
    "café" to listOf("(noun)|coffeehouse|coffee shop|restaurant (generic term)"),
    "happy" to listOf(
      "(adj)|blissful (similar term)|glad (related term)|unhappy (antonym)",
      "(adj)|felicitous|fortunate (similar term)",
      "(adj)|glad|willing (similar term)",
    ),
    "Face" to listOf("(noun)|human face|external body part (generic term)", "(noun)|expression|look|Face"),
  )

  test("synonyms are the terms without a note, from every meaning, in order, lower case, without the word") {
    val t = MythesThesaurus(write(Files.createTempDirectory("mythes"), entries))
    t.size shouldBe 3
    t.synonyms("happy") shouldBe listOf("felicitous", "glad")
    t.synonyms("face") shouldBe listOf("human face", "expression", "look")
    t.synonyms("FACE") shouldBe listOf("human face", "expression", "look")
    t.synonyms("café") shouldBe listOf("coffeehouse", "coffee shop")
    t.synonyms("sad") shouldBe emptyList()
  }

  test("a wrong entry count or a bad offset is reported with the file") {
    val dir = Files.createTempDirectory("mythes-bad")
    shouldThrow<IllegalArgumentException> { MythesThesaurus(write(dir, entries, idxCount = 4)) }.message shouldContain "announces 4 entries"
    val dat = write(dir, entries)
    val idx = dir.resolve("th_test.idx")
    Files.write(idx, Files.readAllLines(idx).map { if (it.startsWith("happy|")) "happy|3" else it })
    shouldThrow<IllegalArgumentException> { MythesThesaurus(dat).synonyms("happy") }.message shouldContain "expected the entry 'word|meanings' of 'happy'"
    Files.write(idx, Files.readAllLines(idx).map { if (it.startsWith("happy|")) "happy" else it })
    shouldThrow<IllegalArgumentException> { MythesThesaurus(dat) }.message shouldContain "expected 'word|offset'"
    shouldThrow<IllegalArgumentException> { MythesThesaurus(dir.resolve("none.dat")) }.message shouldContain "does not exist"
  }

  // Debian's mythes-en-us: .ci/install-data installs it; elsewhere `apt-get install mythes-en-us`
  val installed = Files.isRegularFile(Thesaurus.mythesEnUs)
  test("Debian's English thesaurus: WordNet synonyms, no antonyms or broader terms").config(enabled = CiData.runs(installed)) {
    CiData.require(installed, "mythes-en-us (${Thesaurus.mythesEnUs})", ".ci/install-data")
    val t = Thesaurus.default()
    (t is MythesThesaurus) shouldBe true
    (t as MythesThesaurus).size shouldBe 145_866
    t.synonyms("happy") shouldBe listOf("felicitous", "glad", "well-chosen")
    t.synonyms("cat") shouldContainAll listOf("true cat", "kat", "khat")
    t.synonyms("happy") shouldNotContain "unhappy"
    val aug = SynonymReplacement(t, 1.0)
    aug.candidates("happy") shouldBe listOf(listOf("felicitous"), listOf("glad"), listOf("well", "chosen"))
  }
})
