package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.IOException
import java.nio.file.Files

class IdxSpec : FunSpec({
  val dir = TestFiles.tempDir("idx")
  afterSpec { TestFiles.deleteTree(dir) }

  val payload = ByteArray(3 * 2 * 2) { (it * 20).toByte() } // 3 images of 2x2, bytes up to 220 (> 127: unsigned)

  test("reads a valid plain images file: shape and unsigned values") {
    val f = dir.resolve("images-plain")
    Files.write(f, TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(3, 2, 2), payload))
    val a = Idx.readImages(f)
    a.shape.toList() shouldBe listOf(3, 2, 2)
    (0 until 12).map { a[it] } shouldBe (0 until 12).map { it * 20 }
  }

  test("reads a gzipped file the same way, whatever its name") {
    val f = dir.resolve("images-gz-without-suffix")
    Files.write(f, TestFiles.gzip(TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(3, 2, 2), payload)))
    val a = Idx.readImages(f)
    a.shape.toList() shouldBe listOf(3, 2, 2)
    a.data.toList() shouldBe payload.toList()
  }

  test("reads labels and round-trips through write, plain and gz") {
    for (name in listOf("labels", "labels.gz")) {
      val f = dir.resolve(name)
      Idx.write(f, TestFiles.labels(7, 0, 255, 3))
      val a = Idx.readLabels(f)
      a.shape.toList() shouldBe listOf(4)
      a.toInts().data.toList() shouldBe listOf(7, 0, 255, 3)
    }
    Files.readAllBytes(dir.resolve("labels.gz")).take(2) shouldBe listOf(0x1f.toByte(), 0x8b.toByte())
  }

  test("a labels file read as images fails on its magic number") {
    val f = dir.resolve("labels-as-images")
    Files.write(f, TestFiles.idxBytes(Idx.LABELS_MAGIC, intArrayOf(3), byteArrayOf(1, 2, 3)))
    val e = shouldThrow<IOException> { Idx.readImages(f) }
    e.message shouldContain f.toString()
    e.message shouldContain "wrong magic number 0x00000801, expected 0x00000803"
  }

  test("a file that is not IDX at all fails on its magic number") {
    val f = dir.resolve("text")
    Files.writeString(f, "hello, this is text")
    val e = shouldThrow<IOException> { Idx.read(f) }
    e.message shouldContain "wrong magic number 0x68656C6C"
  }

  test("a file cut inside its header is reported as truncated") {
    val f = dir.resolve("cut-header")
    Files.write(f, TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(3, 2, 2), payload).copyOf(9))
    val e = shouldThrow<IOException> { Idx.readImages(f) }
    e.message shouldContain f.toString()
    e.message shouldContain "truncated"
    e.message shouldContain "IDX header"
  }

  test("a file cut inside its data is reported with the claimed and the present size") {
    val f = dir.resolve("cut-data")
    Files.write(f, TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(3, 2, 2), payload.copyOf(7)))
    val e = shouldThrow<IOException> { Idx.readImages(f) }
    e.message shouldContain "claims 3x2x2 = 12 bytes but the file holds only 7 bytes"
  }

  test("a header claiming 2 billion images fails before allocating, plain and gz") {
    val lying = TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(2_000_000_000, 28, 28), payload)
    val plain = dir.resolve("lying-plain")
    Files.write(plain, lying)
    shouldThrow<IOException> { Idx.readImages(plain) }.message shouldContain
      "claims 2000000000x28x28 = 1568000000000 bytes but the file holds only 12 bytes after its 16-byte header"
    val gz = dir.resolve("lying.gz")
    Files.write(gz, TestFiles.gzip(lying))
    shouldThrow<IOException> { Idx.readImages(gz) }.message shouldContain "more than one array can hold"
  }

  test("a gz whose header claims more than the data holds fails while reading, not by allocation") {
    val gz = dir.resolve("lying-small.gz")
    // 100 million bytes claimed, 12 present: must not allocate 100 MB up front
    Files.write(gz, TestFiles.gzip(TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(10_000_000, 10, 1), payload)))
    val e = shouldThrow<IOException> { Idx.read(gz, 3) }
    e.message shouldContain "(gzip)"
    e.message shouldContain "claims 100000000 bytes of IDX data but the data ends after 12 bytes"
  }

  test("a truncated gzip stream fails with the file named") {
    val gz = dir.resolve("cut.gz")
    val full = TestFiles.gzip(TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(3, 2, 2), payload))
    Files.write(gz, full.copyOf(full.size - 12))
    val e = shouldThrow<IOException> { Idx.readImages(gz) }
    e.message shouldContain gz.toString()
  }

  test("data after what the header describes is rejected") {
    val f = dir.resolve("trailing")
    Files.write(f, TestFiles.idxBytes(Idx.IMAGES_MAGIC, intArrayOf(2, 2, 2), payload))
    shouldThrow<IOException> { Idx.readImages(f) }.message shouldContain "data after"
  }

  test("a missing file is named") {
    shouldThrow<IOException> { Idx.readImages(dir.resolve("nope")) }.message shouldContain "no such file"
  }
})
