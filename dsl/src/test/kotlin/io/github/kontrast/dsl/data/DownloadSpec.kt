package io.github.kontrast.dsl.data

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.IOException
import java.nio.file.Files

class DownloadSpec : FunSpec({
  val dir = TestFiles.tempDir("download")
  afterSpec { TestFiles.deleteTree(dir) }

  val body = "the quick brown fox jumps over the lazy dog".toByteArray()
  // SHA-256 of the text above, computed independently (sha256sum)
  val bodySha = "05c6e08f1d9fdafa03147fcb8f82f124c76d2f70e3d989dc8aadb5e7d7450bec"

  test("sha256 of a file matches the independently computed digest") {
    val f = dir.resolve("fox.txt")
    Files.write(f, body)
    Download.sha256(f) shouldBe bodySha
  }

  test("a download with the expected hash lands in the target, with no .part left") {
    LocalHttpServer(mapOf("/fox.txt" to body)).use { server ->
      val target = dir.resolve("ok/fox.txt")
      Download.fetch(server.uri("/fox.txt"), target, bodySha.uppercase(), log = null)
      Files.readAllBytes(target).toList() shouldBe body.toList()
      Files.exists(dir.resolve("ok/fox.txt.part")) shouldBe false
    }
  }

  test("a wrong hash deletes the download and names both hashes") {
    LocalHttpServer(mapOf("/fox.txt" to body)).use { server ->
      val target = dir.resolve("bad/fox.txt")
      val wrong = "0".repeat(64)
      val e = shouldThrow<ChecksumMismatchException> { Download.fetch(server.uri("/fox.txt"), target, wrong, log = null) }
      e.actual shouldBe bodySha
      e.message shouldContain "SHA-256 of the download (${body.size} bytes) is $bodySha, expected $wrong; the download was deleted"
      Files.exists(target) shouldBe false
      Files.exists(dir.resolve("bad/fox.txt.part")) shouldBe false
    }
  }

  test("an HTTP error and a refused connection fail with an IOException and leave nothing") {
    LocalHttpServer(emptyMap()).use { server ->
      val target = dir.resolve("404/x")
      shouldThrow<IOException> { Download.fetch(server.uri("/missing"), target, bodySha, log = null) }.message shouldContain "HTTP 404"
      Files.exists(target) shouldBe false
    }
    val closedPort = java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")).use { it.localPort }
    shouldThrow<IOException> { Download.fetch(java.net.URI("http://127.0.0.1:$closedPort/x"), dir.resolve("refused"), bodySha, log = null) }
  }

  test("file: URLs work too") {
    val src = dir.resolve("src.txt")
    Files.write(src, body)
    val target = dir.resolve("copy/fox.txt")
    Download.fetch(src.toUri(), target, bodySha, log = null)
    Files.readAllBytes(target).toList() shouldBe body.toList()
  }

  test("a malformed expected hash is an argument error") {
    shouldThrow<IllegalArgumentException> { Download.fetch(dir.toUri(), dir.resolve("x"), "abc", log = null) }
      .message shouldContain "sha256 must be 64 hex digits, got 'abc'"
  }
})
