package io.github.kontrast.dsl.data

import java.io.IOException
import java.io.PrintStream
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path

/**
 * MNIST (LeCun, Cortes and Burges; 60,000 training and 10,000 test digits), loaded as Keras users
 * expect from `mnist.load_data()`, in this order:
 * 1. IDX files (plain or .gz, standard names) or Keras' `mnist.npz` in the data directories
 *    ([DataDirectories]: `dataDir`, `$KONTRAST_DATA`, `~/.kontrast/datasets`, `~/.keras/datasets`);
 * 2. Keras' `mnist.npz` downloaded from [URL] into the first data directory, its SHA-256 checked
 *    ([SHA256]); a wrong hash deletes the file and fails;
 * 3. when the download is impossible (offline), the subset shipped inside the jar
 *    ([SUBSET_TRAIN]/[SUBSET_TEST] images, see [loadSubset]), saying so on `load`'s `log`.
 * `.ci/install-data` puts the full set into the cache directory. Images are float
 * `[N, 28, 28, 1]` in [0, 1], labels int `[N]`; [TrainTestImages.source] says which source was used.
 */
object Mnist {
  /** Where Keras downloads `mnist.npz` from; step 2 downloads it from there too. */
  const val URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
  /** The SHA-256 of the file at [URL], lower-case hex; a download with another hash is deleted. */
  const val SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
  /** The file name Keras caches MNIST under, looked for in every data directory. */
  const val NPZ = "mnist.npz"
  /** Training images in the subset shipped inside the jar. */
  const val SUBSET_TRAIN = 6_000
  /** Test images in the subset shipped inside the jar. */
  const val SUBSET_TEST = 1_000

  /** Classpath folder of the shipped subset (gzipped IDX and its NOTICE). */
  const val SUBSET_RESOURCE = "/io/github/kontrast/datasets/mnist-subset/"

  private const val NAME = "MNIST"

  /** Loads MNIST as described on [Mnist]; [download] = false skips step 2. */
  @JvmStatic
  @JvmOverloads
  fun load(dataDir: Path? = null, download: Boolean = true, log: PrintStream = System.err): TrainTestImages =
    load(DataDirectories(dataDir), if (download) URI(URL) else null, log)

  /** [load] with the directories and the download address given (tests use local ones). */
  internal fun load(directories: DataDirectories, downloadUrl: URI?, log: PrintStream, sha256: String = SHA256): TrainTestImages {
    findCached(directories, log)?.let { return it }
    var reason = "downloading is switched off"
    if (downloadUrl != null) {
      val target = directories.downloadDirectory.resolve(NPZ)
      try {
        Download.fetch(downloadUrl, target, sha256, log)
        return fromNpz(target, "downloaded to ${directories.downloadDirectory}")
      } catch (e: ChecksumMismatchException) {
        throw e // a real problem (corruption, tampering): fail, as Keras does
      } catch (e: IOException) {
        reason = "downloading $downloadUrl failed (${e.javaClass.simpleName}: ${e.message})"
      }
    }
    log.println(
      "Kontrast: full MNIST not found in ${directories.searchPath.joinToString(", ")} and $reason; " +
        String.format(java.util.Locale.ROOT, "using the MNIST subset shipped with Kontrast (%,d training / %,d test images). ", SUBSET_TRAIN, SUBSET_TEST) +
        "For the full set run .ci/install-data (in a Kontrast checkout) or put Keras' $NPZ into ${directories.downloadDirectory}.",
    )
    return loadSubset()
  }

  /** The first full copy found in the data directories, or null. */
  internal fun findCached(directories: DataDirectories, log: PrintStream): TrainTestImages? {
    for (dir in directories.searchPath) {
      IdxImageFiles.find(dir)?.let { files ->
        val (train, test) = files.load()
        return TrainTestImages(NAME, train, test, describe(train, test, "IDX from $dir"), isSubset = false)
      }
      if (IdxImageFiles.partial(dir)) log.println("Kontrast: $dir holds only some of the four MNIST IDX files; ignoring them")
      val npz = dir.resolve(NPZ)
      if (Files.isRegularFile(npz)) return fromNpz(npz, "$NPZ from $dir")
    }
    return null
  }

  /**
   * The subset shipped inside the jar: [SUBSET_TRAIN] training and [SUBSET_TEST] test images drawn
   * without replacement with a fixed seed from full MNIST, in their original order (built by
   * MnistSubsetTool in the tests). MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C.
   * Burges, under CC BY-SA 3.0; see the NOTICE next to the files.
   */
  @JvmStatic
  fun loadSubset(): TrainTestImages {
    fun read(name: String, dims: Int): UInt8Array {
      val path = SUBSET_RESOURCE + name
      val stream = Mnist::class.java.getResourceAsStream(path)
        ?: throw IOException("classpath resource $path is missing: the Kontrast jar is incomplete")
      return stream.use { Idx.read(it, "classpath:$path", expectedDims = dims) }
    }
    val train = LabeledImages.fromBytes(read("train-images-idx3-ubyte.gz", 3), read("train-labels-idx1-ubyte.gz", 1))
    val test = LabeledImages.fromBytes(read("t10k-images-idx3-ubyte.gz", 3), read("t10k-labels-idx1-ubyte.gz", 1))
    val source = String.format(java.util.Locale.ROOT, "MNIST subset shipped with Kontrast (%,d/%,d)", train.size, test.size)
    return TrainTestImages(NAME, train, test, source, isSubset = true)
  }

  private fun fromNpz(file: Path, where: String): TrainTestImages {
    val a = Npz.read(file, listOf("x_train", "y_train", "x_test", "y_test"))
    val train = LabeledImages.fromBytes(a.getValue("x_train"), a.getValue("y_train"))
    val test = LabeledImages.fromBytes(a.getValue("x_test"), a.getValue("y_test"))
    return TrainTestImages(NAME, train, test, describe(train, test, where), isSubset = false)
  }

  private fun describe(train: LabeledImages, test: LabeledImages, where: String): String {
    val extent = if (train.size == 60_000 && test.size == 10_000) "full" else String.format(java.util.Locale.ROOT, "%,d/%,d", train.size, test.size)
    return "$NAME ($extent, $where)"
  }
}
