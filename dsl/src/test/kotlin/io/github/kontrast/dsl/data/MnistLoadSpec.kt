package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.PrintStream
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path

class MnistLoadSpec : FunSpec({
  val root = TestFiles.tempDir("mnist")
  afterSpec { TestFiles.deleteTree(root) }
  var case = 0

  /** A fresh set of directories: explicit, $KONTRAST_DATA, and a home with .kontrast and .keras. */
  class Dirs(val explicit: Path, val env: Path, val home: Path) {
    val kontrast: Path = home.resolve(".kontrast/datasets")
    val keras: Path = home.resolve(".keras/datasets")
    fun directories(withExplicit: Boolean = true, withEnv: Boolean = true) = DataDirectories(
      if (withExplicit) explicit else null,
      if (withEnv) mapOf(DataDirectories.ENV to env.toString()) else emptyMap(),
      home,
    )
  }
  fun dirs(): Dirs {
    val base = root.resolve("case${case++}")
    return Dirs(base.resolve("explicit"), base.resolve("env"), base.resolve("home"))
  }
  fun capture(block: (PrintStream) -> TrainTestImages): Pair<TrainTestImages, String> {
    val bytes = ByteArrayOutputStream()
    val result = PrintStream(bytes, true).use(block)
    return result to bytes.toString()
  }

  test("the search path is explicit, KONTRAST_DATA, ~/.kontrast/datasets, ~/.keras/datasets") {
    val d = dirs()
    d.directories().searchPath shouldBe listOf(d.explicit, d.env, d.kontrast, d.keras)
    d.directories().downloadDirectory shouldBe d.explicit
    d.directories(withExplicit = false).downloadDirectory shouldBe d.env
    d.directories(withExplicit = false, withEnv = false).searchPath shouldBe listOf(d.kontrast, d.keras)
    d.directories(withExplicit = false, withEnv = false).downloadDirectory shouldBe d.kontrast
  }

  test("the first directory holding MNIST wins; IDX plain or gz, or mnist.npz") {
    val d = dirs()
    TestFiles.writeNpz(d.keras.resolve("mnist.npz"), TestFiles.mnistArrays(5, 3))
    TestFiles.writeIdxSet(d.kontrast, 7, 2)
    TestFiles.writeIdxSet(d.env, 4, 1, gz = true)
    TestFiles.writeIdxSet(d.explicit, 3, 2)

    fun load(dd: DataDirectories) = Mnist.load(dd, downloadUrl = null, log = System.err)
    load(d.directories()).let {
      it.train.size shouldBe 3
      it.source shouldBe "MNIST (3/2, IDX from ${d.explicit})"
    }
    load(d.directories(withExplicit = false)).source shouldBe "MNIST (4/1, IDX from ${d.env})"
    load(d.directories(withExplicit = false, withEnv = false)).source shouldBe "MNIST (7/2, IDX from ${d.kontrast})"
    TestFiles.deleteTree(d.kontrast)
    load(d.directories(withExplicit = false, withEnv = false)).let {
      it.source shouldBe "MNIST (5/3, mnist.npz from ${d.keras})"
      it.isSubset shouldBe false
      it.train.images.shape.toList() shouldBe listOf(5, 28, 28, 1)
      it.train.labels.data.toList() shouldBe listOf(0, 1, 2, 3, 4)
      it.test.labels.data.toList() shouldBe listOf(3, 4, 5)
      it.train.images.data[28 * 28] shouldBe 15f / 255f // image 1 holds byte 15
    }
  }

  test("a directory with only some of the IDX files is skipped with a warning") {
    val d = dirs()
    TestFiles.writeIdxSet(d.kontrast, 4, 2)
    Files.delete(d.kontrast.resolve("t10k-labels-idx1-ubyte"))
    TestFiles.writeNpz(d.keras.resolve("mnist.npz"), TestFiles.mnistArrays(2, 2))
    val (data, log) = capture { Mnist.load(d.directories(false, false), null, it) }
    data.source shouldBe "MNIST (2/2, mnist.npz from ${d.keras})"
    log shouldContain "${d.kontrast} holds only some of the four MNIST IDX files"
  }

  test("without cached files it downloads mnist.npz into the first directory and checks its hash") {
    val d = dirs()
    val npz = root.resolve("served.npz")
    TestFiles.writeNpz(npz, TestFiles.mnistArrays(6, 4))
    LocalHttpServer(mapOf("/mnist.npz" to Files.readAllBytes(npz))).use { server ->
      val (data, log) = capture { Mnist.load(d.directories(withExplicit = false), server.uri("/mnist.npz"), it, Download.sha256(npz)) }
      data.source shouldBe "MNIST (6/4, downloaded to ${d.env})"
      log shouldContain "Downloading ${server.uri("/mnist.npz")}"
      Files.exists(d.env.resolve("mnist.npz")) shouldBe true
      // the second load finds the cached copy and does not download again
      Mnist.load(d.directories(withExplicit = false), server.uri("/mnist.npz"), System.err, Download.sha256(npz)).source shouldBe
        "MNIST (6/4, mnist.npz from ${d.env})"
      server.requests.get() shouldBe 1
    }
  }

  test("a download whose hash is not Keras' fails and leaves no file") {
    val d = dirs()
    val npz = root.resolve("not-keras.npz")
    TestFiles.writeNpz(npz, TestFiles.mnistArrays(2, 2))
    LocalHttpServer(mapOf("/mnist.npz" to Files.readAllBytes(npz))).use { server ->
      val e = shouldThrow<ChecksumMismatchException> { Mnist.load(d.directories(), server.uri("/mnist.npz"), System.err) }
      e.message shouldContain "expected ${Mnist.SHA256}"
      Files.exists(d.explicit.resolve("mnist.npz")) shouldBe false
    }
  }

  test("offline it falls back to the shipped subset and says so on the log") {
    val d = dirs()
    val closedPort = java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")).use { it.localPort }
    val (data, log) = capture { Mnist.load(d.directories(), URI("http://127.0.0.1:$closedPort/mnist.npz"), it) }
    data.isSubset shouldBe true
    data.source shouldBe "MNIST subset shipped with Kontrast (6,000/1,000)"
    log shouldContain "full MNIST not found in ${d.explicit}, ${d.env}, ${d.kontrast}, ${d.keras}"
    log shouldContain "downloading http://127.0.0.1:$closedPort/mnist.npz failed"
    log shouldContain "using the MNIST subset shipped with Kontrast (6,000 training / 1,000 test images)"
    val (_, quiet) = capture { Mnist.load(d.directories(), null, it) }
    quiet shouldContain "downloading is switched off"
    quiet shouldNotContain "Downloading"
  }

  test("Fashion-MNIST is found under fashion-mnist/ of a data directory, then in the system directory") {
    val d = dirs()
    val system = root.resolve("system-fashion")
    TestFiles.writeIdxSet(system, 3, 1, gz = true)
    FashionMnist.load(d.directories(), system).source shouldBe "Fashion-MNIST (3/1, IDX from $system)"
    TestFiles.writeIdxSet(d.keras.resolve("fashion-mnist"), 5, 2, gz = true)
    FashionMnist.load(d.directories(), system).source shouldBe "Fashion-MNIST (5/2, IDX from ${d.keras.resolve("fashion-mnist")})"
    val e = shouldThrow<IOException> { FashionMnist.load(dirs().directories(), root.resolve("nowhere")) }
    e.message shouldContain "Fashion-MNIST not found"
    e.message shouldContain "nowhere"
    FashionMnist.CLASS_NAMES.size shouldBe 10
  }
})
