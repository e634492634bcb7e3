package io.github.kontrast.samples

import io.github.kontrast.dsl.engine.Checkpoint
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name

/** Ctrl-C (a real SIGINT to a child JVM) while checkpoints are being written. */
class InterruptSpec : FunSpec({
  test("SIGINT in the middle of checkpoint writes: the one under way finishes, no later one starts, no temporary file stays") {
    val dir = Files.createTempDirectory("sigint-writer")
    val path = dir.resolve("run").resolve("checkpoint.ktck")
    val child = startJava(CheckpointWriterMain::class.java.name, listOf(path.toString()), dir)
    val stdout = dir.resolve("stdout.txt")
    val deadline = System.nanoTime() + 120e9.toLong()
    // a few writes first: from then on the child spends nearly all its time inside one
    while (child.isAlive && "written 3\n" !in Files.readString(stdout) && System.nanoTime() < deadline) Thread.sleep(10)
    interrupt(child)
    val ran = finished(child, dir, 60)
    ran.code shouldBe 130
    ran.err.trim() shouldBe "writer: interrupted"
    path.parent.listDirectoryEntries().map { it.name } shouldContainExactly listOf("checkpoint.ktck")
    val written = Regex("written (\\d+)").findAll(ran.out).map { it.groupValues[1].toInt() }.toList()
    val saved = Checkpoint.read(path)
    // the last write reported, or the one that was under way when the signal came
    saved.epoch shouldBeGreaterThanOrEqual written.last()
    (saved.epoch <= written.last() + 1) shouldBe true
    val w = saved.values.getValue("w").data
    w.size shouldBe CheckpointWriterMain.VALUES
    w.last() shouldBe (CheckpointWriterMain.VALUES - 1).toFloat()
  }
})
