package io.github.kontrast.dsl.data

import java.nio.file.Files
import java.nio.file.Path
import java.util.SplittableRandom

/**
 * Builds the MNIST subset shipped in the jar (dsl/src/main/resources/io/github/kontrast/datasets/
 * mnist-subset/) from full MNIST: 6,000 of the 60,000 training and 1,000 of the 10,000 test
 * images, drawn without replacement by a generator seeded with [SEED], kept in their original
 * order, written as gzipped IDX with a NOTICE. Run after `.ci/install-data`, from the repository
 * root (it needs only the Kotlin standard library):
 *
 *     mvn -q -o -pl dsl -am test-compile
 *     java -cp dsl/target/test-classes:dsl/target/classes:$HOME/.m2/repository/org/jetbrains/kotlin/kotlin-stdlib/2.2.21/kotlin-stdlib-2.2.21.jar \
 *       io.github.kontrast.dsl.data.MnistSubsetToolKt ~/.kontrast/datasets dsl/src/main/resources/io/github/kontrast/datasets/mnist-subset
 *
 * MnistSubsetSpec checks that the shipped files are exactly what this selection gives.
 */
object MnistSubsetTool {
  const val SEED = 20_261_123L

  /** Indices of [k] of [n] items drawn without replacement with [seed], ascending. */
  fun select(n: Int, k: Int, seed: Long): IntArray {
    val order = IntArray(n) { it }
    val random = SplittableRandom(seed)
    // partial Fisher-Yates: the first k positions are a uniform sample without replacement
    for (i in 0 until k) {
      val j = i + random.nextInt(n - i)
      val t = order[i]; order[i] = order[j]; order[j] = t
    }
    return order.copyOf(k).sortedArray()
  }

  /** The subset of the full IDX files in [fullDir]: train and test (images, labels) as bytes. */
  fun build(fullDir: Path): Map<String, UInt8Array> {
    val files = IdxImageFiles.find(fullDir) ?: error("no MNIST IDX files in $fullDir (run .ci/install-data)")
    val trainImages = Idx.readImages(files.trainImages)
    val trainLabels = Idx.readLabels(files.trainLabels)
    val testImages = Idx.readImages(files.testImages)
    val testLabels = Idx.readLabels(files.testLabels)
    require(trainImages.rows == 60_000 && testImages.rows == 10_000) { "$fullDir does not hold full MNIST" }
    val train = select(trainImages.rows, Mnist.SUBSET_TRAIN, SEED)
    val test = select(testImages.rows, Mnist.SUBSET_TEST, SEED + 1)
    return linkedMapOf(
      "train-images-idx3-ubyte.gz" to trainImages.gather(train),
      "train-labels-idx1-ubyte.gz" to trainLabels.gather(train),
      "t10k-images-idx3-ubyte.gz" to testImages.gather(test),
      "t10k-labels-idx1-ubyte.gz" to testLabels.gather(test),
    )
  }

  fun write(fullDir: Path, outDir: Path) {
    Files.createDirectories(outDir)
    build(fullDir).forEach { (name, array) -> Idx.write(outDir.resolve(name), array) }
    Files.writeString(outDir.resolve("NOTICE"), NOTICE)
  }

  val NOTICE = """
    |MNIST subset shipped with Kontrast
    |
    |These four gzipped IDX files hold ${"%,d".format(Mnist.SUBSET_TRAIN)} of the 60,000 training images and
    |${"%,d".format(Mnist.SUBSET_TEST)} of the 10,000 test images of the MNIST database of handwritten digits,
    |with their labels, drawn without replacement with a fixed seed ($SEED) and kept in
    |their original order (io.github.kontrast.dsl.data.MnistSubsetTool in the tests builds them).
    |The bytes are MNIST's own; nothing else was changed.
    |
    |The MNIST database is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
    |(http://yann.lecun.com/exdb/mnist/), made available under the terms of the
    |Creative Commons Attribution-Share Alike 3.0 license (CC BY-SA 3.0,
    |https://creativecommons.org/licenses/by-sa/3.0/). This subset is distributed under the
    |same license.
    |""".trimMargin()
}

fun main(args: Array<String>) {
  require(args.size == 2) { "usage: MnistSubsetTool <directory with full MNIST IDX> <output directory>" }
  MnistSubsetTool.write(Path.of(args[0]), Path.of(args[1]))
  println("wrote the MNIST subset to ${args[1]}")
}
