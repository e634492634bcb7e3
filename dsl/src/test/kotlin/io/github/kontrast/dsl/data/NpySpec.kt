package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.IOException
import java.nio.file.Files

class NpySpec : FunSpec({
  val dir = TestFiles.tempDir("npy")
  afterSpec { TestFiles.deleteTree(dir) }

  test("write then read: header padded to 64 bytes as NumPy does, values unsigned") {
    val a = UInt8Array(intArrayOf(2, 3), byteArrayOf(0, 1, 2, 127, -128, -1))
    val bytes = TestFiles.npyBytes(a)
    (bytes.size - 6) % 64 shouldBe 0 // data starts on a 64-byte boundary
    String(bytes, 0, bytes.size - 6, Charsets.ISO_8859_1) shouldContain "'descr': '|u1', 'fortran_order': False, 'shape': (2, 3)"
    val f = dir.resolve("a.npy")
    Files.write(f, bytes)
    val b = Npy.read(f)
    b.shape.toList() shouldBe listOf(2, 3)
    (0 until 6).map { b[it] } shouldBe listOf(0, 1, 2, 127, 128, 255)
  }

  test("a hand-written NumPy header (as np.save writes it for uint8 labels) is parsed") {
    val bytes = TestFiles.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", byteArrayOf(9, 8, 7, 6))
    val f = dir.resolve("labels.npy")
    Files.write(f, bytes)
    Npy.read(f).toInts().data.toList() shouldBe listOf(9, 8, 7, 6)
  }

  test("wrong magic, wrong dtype, truncated data and a lying header fail with the file named") {
    val good = TestFiles.npyBytes(UInt8Array(intArrayOf(4), byteArrayOf(1, 2, 3, 4)))
    fun npy(dict: String, payload: ByteArray) = TestFiles.npy(dict, payload)
    val four = byteArrayOf(1, 2, 3, 4)
    val cases = mapOf(
      "magic.npy" to (byteArrayOf(0x50, 0x4b) + good.copyOfRange(2, good.size)) to "wrong magic string",
      "dtype.npy" to npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", four) to "dtype '<f4' is not supported",
      "cut.npy" to good.copyOf(good.size - 2) to "claims shape (4,) = 4 bytes but only 2 bytes follow",
      "lying.npy" to npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1000, 28, 28), }", four) to
        "claims shape (1000, 28, 28) = 784000 bytes but only 4 bytes follow",
      "huge.npy" to npy("{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 60000), }", four) to "claims shape",
      "fortran.npy" to npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2), }", four) to "Fortran-ordered",
      "noshape.npy" to npy("{'descr': '|u1', 'fortran_order': False}", four) to "has no 'shape'",
    )
    for ((file, expected) in cases) {
      val (name, bytes) = file
      val f = dir.resolve(name)
      Files.write(f, bytes)
      val e = shouldThrow<IOException> { Npy.read(f) }
      e.message shouldContain f.toString()
      e.message shouldContain expected
    }
  }

  test("reads Keras-style npz archives, deflated and stored") {
    for (stored in listOf(false, true)) {
      val f = dir.resolve("mnist-$stored.npz")
      TestFiles.writeNpz(f, TestFiles.mnistArrays(5, 3), stored)
      val a = Npz.read(f, listOf("x_train", "y_train", "x_test", "y_test"))
      a.getValue("x_train").shape.toList() shouldBe listOf(5, 28, 28)
      a.getValue("y_train").toInts().data.toList() shouldBe listOf(0, 1, 2, 3, 4)
      a.getValue("x_test")[28 * 28 * 2] shouldBe 25 // image 2 holds (2 * 10 + 5)
      a.getValue("y_test").toInts().data.toList() shouldBe listOf(3, 4, 5)
    }
  }

  test("an npz without an expected array, or not a zip at all, fails clearly") {
    val f = dir.resolve("partial.npz")
    TestFiles.writeNpz(f, mapOf("x_train" to TestFiles.images(2)))
    shouldThrow<IOException> { Npz.read(f, listOf("x_train", "y_train")) }.message shouldContain "has no y_train.npy; it has [x_train.npy]"
    val g = dir.resolve("text.npz")
    Files.writeString(g, "not a zip")
    shouldThrow<IOException> { Npz.read(g, listOf("x_train")) }.message shouldContain "not a readable .npz"
  }

  test("a truncated entry inside an npz is reported with the entry named") {
    val f = dir.resolve("cut-entry.npz")
    val bytes = TestFiles.npyBytes(TestFiles.images(2))
    java.util.zip.ZipOutputStream(Files.newOutputStream(f)).use { zip ->
      zip.putNextEntry(java.util.zip.ZipEntry("x_train.npy"))
      zip.write(bytes, 0, bytes.size - 100)
      zip.closeEntry()
    }
    val e = shouldThrow<IOException> { Npz.read(f, listOf("x_train")) }
    e.message shouldContain "cut-entry.npz!x_train.npy"
    e.message shouldContain "only 1468 bytes follow the header"
  }

  test("reads an npz that NumPy itself wrote (np.savez_compressed, zip64 entries)") {
    val f = dir.resolve("numpy-written.npz")
    Files.write(f, NumpyWrittenNpz.bytes)
    val a = Npz.read(f, listOf("x_train", "y_train", "x_test", "y_test"))
    val x = a.getValue("x_train")
    x.shape.toList() shouldBe listOf(3, 28, 28)
    (0 until 3).map { i -> (0 until 784).sumOf { x[i * 784 + it] } } shouldBe listOf(27525, 31095, 19443)
    x[14 * 28 + 14] shouldBe 240
    a.getValue("y_train").toInts().data.toList() shouldBe listOf(5, 0, 4)
    a.getValue("x_test").data.toList() shouldBe x.data.copyOf(784).toList()
    a.getValue("y_test").toInts().data.toList() shouldBe listOf(5)
  }
})
