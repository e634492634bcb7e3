package io.github.kontrast.dsl.data

import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/**
 * One emoji image of `emoji-datasource-twitter` with what emoji.json says about it: its Unicode
 * [name] ("GRINNING FACE WITH SMILING EYES", or "Vatican City Flag" for flags), [shortNames]
 * ("grin"), [category] ("Smileys & Emotion"), [subcategory] ("face-smiling"), the [skinTone] of a
 * skin-tone variant (null for the base emoji), and its PNG [file] under img/twitter/64.
 *
 * @property name emoji.json's name: the Unicode name for most emoji.
 * @property shortNames the short names, keywords of the emoji.
 * @property category the category, the emoji's class.
 * @property subcategory the subcategory within [category].
 * @property skinTone the skin tone(s) of a variant, joined by " and "; null for the base emoji.
 * @property file the PNG's file name in img/twitter/64.
 */
class EmojiRecord(
  val name: String,
  val shortNames: List<String>,
  val category: String,
  val subcategory: String,
  val skinTone: String?,
  val file: String,
) {
  /** The name in lower case, with the skin tone after a colon: "santa claus: dark skin tone". */
  val title: String get() = name.lowercase() + (skinTone?.let { ": $it" } ?: "")

  override fun toString() = "EmojiRecord($title, $category / $subcategory, $file)"
}

/**
 * The Twemoji images of the npm package `emoji-datasource-twitter@16.0.0` as image-caption pairs:
 * 64 px PNGs composited on white (averaged down to [load]'s `imageSize`), captioned with their
 * names, short names (keywords), subcategories and categories; the class of an emoji is its
 * category. `.ci/install-data` installs the package's emoji.json and img/twitter/64 into the data
 * directory as [FOLDER]. The images are Twitter's Twemoji, CC BY 4.0; the metadata MIT (Cal
 * Henderson's emoji-data).
 */
object Emoji {
  /** The npm package the emoji come from, with its version. */
  const val PACKAGE = "emoji-datasource-twitter@16.0.0"
  /** The name of the package's folder in a data directory. */
  const val FOLDER = "emoji-datasource-twitter-16.0.0"

  /** The categories in emoji.json's order, "Component" (skin-tone swatches, hair styles) left out. */
  @JvmField val CATEGORIES: List<String> = listOf(
    "Smileys & Emotion", "People & Body", "Animals & Nature", "Food & Drink", "Travel & Places",
    "Activities", "Objects", "Symbols", "Flags",
  )

  /** Skin-tone modifiers (Fitzpatrick types) by their code point, as emoji.json keys variants. */
  private val TONES = mapOf(
    "1F3FB" to "light skin tone", "1F3FC" to "medium-light skin tone", "1F3FD" to "medium skin tone",
    "1F3FE" to "medium-dark skin tone", "1F3FF" to "dark skin tone",
  )

  /**
   * Finds [FOLDER] in the data directories ([DataDirectories]: `dataDir`, `$KONTRAST_DATA`,
   * `~/.kontrast/datasets`, ...) and reads it with [read].
   */
  @JvmStatic
  @JvmOverloads
  fun load(dataDir: Path? = null, imageSize: Int = 32, skinTones: Boolean = false): EmojiSet =
    load(DataDirectories(dataDir), imageSize, skinTones)

  /** [load] in the given directories (tests pass their own). */
  internal fun load(dirs: DataDirectories, imageSize: Int, skinTones: Boolean): EmojiSet {
    val folder = dirs.searchPath.map { it.resolve(FOLDER) }.firstOrNull { Files.isRegularFile(it.resolve("emoji.json")) }
      ?: throw IOException("the emoji ($PACKAGE) are not in ${dirs.searchPath.joinToString(", ")}: run .ci/install-data, or `npm install $PACKAGE` and pass its folder to Emoji.read")
    return read(folder, imageSize, skinTones)
  }

  /**
   * Reads [folder] (emoji.json and img/twitter/64/, as the npm package lays them out): every emoji
   * of the [CATEGORIES] that has a Twitter image, with its skin-tone variants when [skinTones]
   * (each variant with two tones, for couples, counted once per pair of tones). Images are
   * [imageSize] px, which must divide 64 (each output pixel averages a square of source pixels).
   */
  @JvmStatic
  @JvmOverloads
  fun read(folder: Path, imageSize: Int = 32, skinTones: Boolean = false): EmojiSet {
    require(imageSize in 1..64 && 64 % imageSize == 0) { "imageSize must divide 64 (64, 32, 16, 8, ...), got $imageSize" }
    val json = folder.resolve("emoji.json")
    if (!Files.isRegularFile(json)) throw IOException("$folder has no emoji.json (is it the $PACKAGE folder?)")
    val entries = JsonReader.parse(Files.readString(json), json.toString()) as? List<*>
      ?: throw IllegalArgumentException("$json: expected a list of emoji")
    val records = ArrayList<EmojiRecord>()
    val groups = ArrayList<Int>()
    entries.forEachIndexed { i, e ->
      val m = e as? Map<*, *> ?: throw IllegalArgumentException("$json: entry $i is not an object")
      fun text(key: String): String = m[key] as? String ?: throw IllegalArgumentException("$json: entry $i lacks the text field '$key'")
      val category = text("category")
      if (category !in CATEGORIES || m["has_img_twitter"] != true) return@forEachIndexed
      val name = text("name")
      val shortNames = (m["short_names"] as? List<*>)?.map { it as String } ?: listOf(text("short_name"))
      val subcategory = text("subcategory")
      val group = groups.size.let { if (it == 0) 0 else groups.last() + 1 }
      records += EmojiRecord(name, shortNames, category, subcategory, null, text("image"))
      groups += group
      if (skinTones) {
        (m["skin_variations"] as? Map<*, *>)?.forEach { (key, v) ->
          val variant = v as? Map<*, *> ?: return@forEach
          if (variant["has_img_twitter"] != true) return@forEach
          val tones = (key as String).split('-').map { TONES[it] ?: throw IllegalArgumentException("$json: '$name' has an unknown skin tone $it") }.distinct()
          val file = variant["image"] as? String ?: throw IllegalArgumentException("$json: a skin variant of '$name' lacks 'image'")
          records += EmojiRecord(name, shortNames, category, subcategory, tones.joinToString(" and "), file)
          groups += group
        }
      }
    }
    require(records.isNotEmpty()) { "$json lists no emoji of the categories $CATEGORIES with a Twitter image" }
    val pixels = imageSize * imageSize * 3
    val data = FloatArray(records.size * pixels)
    val imageDir = folder.resolve("img").resolve("twitter").resolve("64")
    records.forEachIndexed { i, r -> readPng(imageDir.resolve(r.file), imageSize, data, i * pixels) }
    val images = FloatHostArray(data, intArrayOf(records.size, imageSize, imageSize, 3))
    val captioned = CaptionedImages(
      images,
      records.map { captions(it) },
      records.map { CATEGORIES.indexOf(it.category) }.toIntArray(),
      CATEGORIES.map { it.lowercase() },
      groups.toIntArray(),
      records.map { it.title },
    )
    return EmojiSet(records, captioned, folder)
  }

  /**
   * The captions of an emoji, canonical first: its title; its short names as words ("zany face");
   * the title with its subcategory ("zany face, face tongue"); and the title with its category
   * ("a smileys & emotion emoji: zany face"). Underscores and hyphens of the short names and
   * subcategories become spaces, so the word tokenizer sees their words.
   */
  @JvmStatic
  fun captions(r: EmojiRecord): List<String> {
    fun words(s: String) = s.replace('_', ' ').replace('-', ' ')
    val tone = r.skinTone?.let { ", $it" } ?: ""
    return (
      listOf(r.title) + r.shortNames.map { words(it) + tone } +
        listOf("${r.title}, ${words(r.subcategory)}", "a ${r.category.lowercase()} emoji: ${r.title}")
      ).distinct()
  }

  /** Decodes a PNG, composites it on white and averages it down to [size] px, RGB in [0, 1], into [out] at [offset]. */
  private fun readPng(file: Path, size: Int, out: FloatArray, offset: Int) {
    if (!Files.isRegularFile(file)) throw IOException("emoji image $file is missing")
    val img = ImageIO.read(file.toFile()) ?: throw IOException("$file is not an image ImageIO can read")
    require(img.width == 64 && img.height == 64) { "$file: expected a 64x64 image, got ${img.width}x${img.height}" }
    val k = 64 / size
    val area = (k * k).toFloat()
    for (y in 0 until size) for (x in 0 until size) {
      var r = 0f; var g = 0f; var b = 0f
      for (dy in 0 until k) for (dx in 0 until k) {
        val argb = img.getRGB(x * k + dx, y * k + dy)
        val a = (argb ushr 24) / 255f
        // over a white background: c * a + 1 * (1 - a)
        r += ((argb shr 16) and 0xFF) / 255f * a + (1 - a)
        g += ((argb shr 8) and 0xFF) / 255f * a + (1 - a)
        b += (argb and 0xFF) / 255f * a + (1 - a)
      }
      val at = offset + (y * size + x) * 3
      out[at] = r / area; out[at + 1] = g / area; out[at + 2] = b / area
    }
  }
}

/**
 * What [Emoji.read] returns: the [records] and, in the same order, the image-caption pairs.
 *
 * @property records what emoji.json says of each emoji read.
 * @property pairs the images with their captions, in the order of [records].
 * @property folder the package folder the emoji were read from.
 */
class EmojiSet(val records: List<EmojiRecord>, val pairs: CaptionedImages, val folder: Path) {
  /** Number of emoji read (the skin-tone variants among them, when they were asked for). */
  val size: Int get() = records.size

  override fun toString() = "EmojiSet(${records.size} emoji from $folder, ${pairs.imageShape.contentToString()} images)"
}
