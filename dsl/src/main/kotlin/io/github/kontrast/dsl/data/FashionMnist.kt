package io.github.kontrast.dsl.data

import java.io.IOException
import java.nio.file.Path

/**
 * Fashion-MNIST (Zalando Research; 60,000 + 10,000 clothing images in MNIST's IDX format),
 * looked for in `fashion-mnist/` under each data directory ([DataDirectories], where Keras keeps
 * it too), then in [SYSTEM_DIR] (Debian's `dataset-fashion-mnist` package). It is not downloaded
 * and not shipped: Keras' copies are four files without a checked hash here.
 */
object FashionMnist {
  /** Where Debian's dataset-fashion-mnist package installs the gzipped IDX files. */
  const val SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"

  /** Label names, by label. */
  @JvmField
  val CLASS_NAMES: List<String> = listOf(
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  )

  /**
   * The training and test sets as float images `[N, 28, 28, 1]` in [0, 1] and int labels, from the
   * first directory that has the four IDX files; `fashion-mnist/` under [dataDir] is searched first. An IOException that
   * lists the directories tried when none has them.
   */
  @JvmStatic
  @JvmOverloads
  fun load(dataDir: Path? = null): TrainTestImages = load(DataDirectories(dataDir), Path.of(SYSTEM_DIR))

  internal fun load(directories: DataDirectories, systemDir: Path): TrainTestImages {
    val dirs = directories.searchPath.map { it.resolve("fashion-mnist") } + listOf(systemDir)
    for (dir in dirs) {
      val files = IdxImageFiles.find(dir) ?: continue
      val (train, test) = files.load()
      val extent = if (train.size == 60_000 && test.size == 10_000) "full" else String.format(java.util.Locale.ROOT, "%,d/%,d", train.size, test.size)
      return TrainTestImages("Fashion-MNIST", train, test, "Fashion-MNIST ($extent, IDX from $dir)", isSubset = false)
    }
    throw IOException(
      "Fashion-MNIST not found: looked for train-images-idx3-ubyte(.gz) and the three other IDX files in " +
        "${dirs.joinToString(", ")}. Install Debian's dataset-fashion-mnist or copy the files into one of them.",
    )
  }
}
