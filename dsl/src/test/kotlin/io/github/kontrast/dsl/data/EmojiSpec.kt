package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.awt.image.BufferedImage
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/** The emoji loader on a small folder laid out as the npm package, and on the installed package. */
class EmojiSpec : FunSpec({
  fun png(file: Path, fill: (Int, Int) -> Int) {
    val img = BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB)
    for (y in 0 until 64) for (x in 0 until 64) img.setRGB(x, y, fill(x, y))
    Files.createDirectories(file.parent)
    ImageIO.write(img, "png", file.toFile())
  }

  fun fixture(): Path {
    val dir = Files.createTempDirectory("emoji")
    val img = dir.resolve("img/twitter/64")
    // opaque red left half, transparent right half
    png(img.resolve("red.png")) { x, _ -> if (x < 32) 0xFFFF0000.toInt() else 0x00000000 }
    // blue at alpha 51/255 = 0.2 everywhere
    png(img.resolve("blue.png")) { _, _ -> 0x330000FF }
    // a 2x2 checker of black and white: each output pixel of 32 px averages one black and three white... no: 2x2 blocks
    png(img.resolve("wave.png")) { x, y -> if ((x + y) % 2 == 0) 0xFF000000.toInt() else 0xFFFFFFFF.toInt() }
    png(img.resolve("wave-dark.png")) { _, _ -> 0xFF000000.toInt() }
    Files.writeString(
      dir.resolve("emoji.json"),
      """[
        {"name": "RED THING", "short_name": "red_thing", "short_names": ["red_thing", "red-one"], "category": "Symbols",
         "subcategory": "geometric", "image": "red.png", "has_img_twitter": true},
        {"name": "Blue Flag", "short_name": "flag-bl", "short_names": ["flag-bl"], "category": "Flags",
         "subcategory": "country-flag", "image": "blue.png", "has_img_twitter": true},
        {"name": "SKIN TONE SWATCH", "short_name": "skin", "category": "Component", "subcategory": "skin-tone",
         "image": "red.png", "has_img_twitter": true},
        {"name": "NO TWITTER IMAGE", "short_name": "none", "category": "Symbols", "subcategory": "other",
         "image": "red.png", "has_img_twitter": false},
        {"name": "WAVING HAND", "short_name": "wave", "short_names": ["wave"], "category": "People & Body",
         "subcategory": "hand-fingers-open", "image": "wave.png", "has_img_twitter": true,
         "skin_variations": {"1F3FF": {"image": "wave-dark.png", "has_img_twitter": true}}}
      ]""",
    )
    return dir
  }

  test("records of the nine categories with a Twitter image; names, short names, categories; captions canonical first") {
    val set = Emoji.read(fixture(), imageSize = 64)
    set.records.map { it.title } shouldBe listOf("red thing", "blue flag", "waving hand")
    val p = set.pairs
    p.classNames shouldBe Emoji.CATEGORIES.map { it.lowercase() }
    p.labels.toList() shouldBe listOf(7, 8, 1)
    p.captions(0) shouldBe listOf("red thing", "red thing", "red one", "red thing, geometric", "a symbols emoji: red thing").distinct()
    p.caption(1) shouldBe "blue flag"
    p.captions(1) shouldBe listOf("blue flag", "flag bl", "blue flag, country flag", "a flags emoji: blue flag")
  }

  test("pixels: composited on white, RGB in [0, 1], averaged in squares when smaller") {
    val big = Emoji.read(fixture(), imageSize = 64).pairs.images
    big.shape.toList() shouldBe listOf(3, 64, 64, 3)
    fun px(a: FloatHostArray, size: Int, i: Int, y: Int, x: Int) = (0 until 3).map { a.data[((i * size + y) * size + x) * 3 + it].toDouble() }
    px(big, 64, 0, 5, 3) shouldBe listOf(1.0, 0.0, 0.0) // opaque red
    px(big, 64, 0, 5, 40) shouldBe listOf(1.0, 1.0, 1.0) // transparent: the white behind
    // blue over white at alpha 0.2: (0.8, 0.8, 1)
    px(big, 64, 1, 9, 9).zip(listOf(0.8, 0.8, 1.0)).forEach { (v, e) -> v shouldBe (e plusOrMinus 1e-6) }
    val small = Emoji.read(fixture(), imageSize = 32).pairs.images
    small.shape.toList() shouldBe listOf(3, 32, 32, 3)
    // every 2x2 block of the checker holds two black and two white pixels
    px(small, 32, 2, 7, 11).forEach { it shouldBe (0.5 plusOrMinus 1e-6) }
    px(small, 32, 0, 0, 15) shouldBe listOf(1.0, 0.0, 0.0)
    shouldThrow<IllegalArgumentException> { Emoji.read(fixture(), imageSize = 48) }.message shouldContain "must divide 64"
  }

  test("skin tones: variants in the same group as their emoji, named by tone, never split apart") {
    val set = Emoji.read(fixture(), imageSize = 16, skinTones = true)
    set.records.map { it.title } shouldBe listOf("red thing", "blue flag", "waving hand", "waving hand: dark skin tone")
    set.pairs.captions(3) shouldBe listOf("waving hand: dark skin tone", "wave, dark skin tone", "waving hand: dark skin tone, hand fingers open", "a people & body emoji: waving hand: dark skin tone")
    (0 until 4).map { set.pairs.group(it) } shouldBe listOf(0, 1, 2, 2)
    repeat(10) { seed ->
      val (train, held) = set.pairs.split(0.25, seed.toLong())
      val heldNames = held.names.toSet()
      (("waving hand" in heldNames) == ("waving hand: dark skin tone" in heldNames)) shouldBe true
      (train.size + held.size) shouldBe 4
      train.names.intersect(heldNames).size shouldBe 0
    }
  }

  test("a missing folder, emoji.json or image says what is missing and how to install it") {
    val empty = Files.createTempDirectory("no-emoji")
    shouldThrow<IOException> { Emoji.read(empty) }.message shouldContain "no emoji.json"
    shouldThrow<IOException> { Emoji.load(DataDirectories(empty.resolve("nowhere"), emptyMap(), empty), 32, false) }.message shouldContain ".ci/install-data"
    val dir = fixture()
    Files.delete(dir.resolve("img/twitter/64/blue.png"))
    shouldThrow<IOException> { Emoji.read(dir) }.message shouldContain "blue.png is missing"
  }

  val installed = DataDirectories().searchPath.any { Files.isRegularFile(it.resolve(Emoji.FOLDER).resolve("emoji.json")) }
  test("the installed package: 1,906 emoji in nine categories, 3,781 with skin tones").config(enabled = CiData.runs(installed)) {
    CiData.require(installed, "the emoji (${Emoji.PACKAGE})", ".ci/install-data")
    val set = Emoji.load(imageSize = 16, skinTones = true)
    set.size shouldBe 3_781
    set.records.count { it.skinTone == null } shouldBe 1_906
    set.pairs.labels.groupBy { it }.mapValues { it.value.size }.filterKeys { it == 8 } shouldBe mapOf(8 to 270) // flags have no tones
    val grin = set.records.indexOfFirst { it.shortNames.contains("grin") }
    set.pairs.captions(grin) shouldBe listOf(
      "grinning face with smiling eyes", "grin", "grinning face with smiling eyes, face smiling",
      "a smileys & emotion emoji: grinning face with smiling eyes",
    )
    set.pairs.images.data.all { it in 0f..1f } shouldBe true
  }
})
