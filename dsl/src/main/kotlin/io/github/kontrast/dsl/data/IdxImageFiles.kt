package io.github.kontrast.dsl.data

import java.nio.file.Files
import java.nio.file.Path

/**
 * The four IDX files of an MNIST-like dataset in one directory, under their standard names
 * (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte), each plain or .gz, also with a dot before "idx" as some mirrors write.
 */
internal class IdxImageFiles(
  val trainImages: Path,
  val trainLabels: Path,
  val testImages: Path,
  val testLabels: Path,
) {
  fun load(): Pair<LabeledImages, LabeledImages> = Pair(
    LabeledImages.fromBytes(Idx.readImages(trainImages), Idx.readLabels(trainLabels)),
    LabeledImages.fromBytes(Idx.readImages(testImages), Idx.readLabels(testLabels)),
  )

  companion object {
    val STEMS = listOf("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

    /** The files in [dir], or null when one of the four is missing. */
    fun find(dir: Path): IdxImageFiles? {
      val found = STEMS.map { stem -> candidates(stem).map { dir.resolve(it) }.firstOrNull { Files.isRegularFile(it) } ?: return null }
      return IdxImageFiles(found[0], found[1], found[2], found[3])
    }

    /** Whether [dir] holds some but not all of the four files (worth a warning). */
    fun partial(dir: Path): Boolean =
      STEMS.any { stem -> candidates(stem).any { Files.isRegularFile(dir.resolve(it)) } } && find(dir) == null

    private fun candidates(stem: String): List<String> {
      val dotted = stem.replace("-idx", ".idx")
      return listOf(stem, "$stem.gz", dotted, "$dotted.gz")
    }
  }
}
