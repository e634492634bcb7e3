package io.github.kontrast.samples

import io.github.kontrast.dsl.data.Mnist
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** What a run of the launcher left: its exit code and what it printed. */
data class Ran(val code: Int, val out: String, val err: String)

/** Runs `./kontrast args` in this JVM, capturing what it prints. */
fun kontrast(vararg args: String): Ran {
  val out = ByteArrayOutputStream()
  val err = ByteArrayOutputStream()
  val (oldOut, oldErr) = System.out to System.err
  System.setOut(PrintStream(out, true, Charsets.UTF_8))
  System.setErr(PrintStream(err, true, Charsets.UTF_8))
  val code = try {
    Kontrast.execute(*args)
  } finally {
    System.setOut(oldOut)
    System.setErr(oldErr)
  }
  return Ran(code, out.toString(Charsets.UTF_8), err.toString(Charsets.UTF_8))
}

/** A running `./kontrast args` in a child JVM on this test's classpath, with [env] added; it prints into [dir]. */
fun startKontrast(args: List<String>, dir: Path, env: Map<String, String> = emptyMap()): Process =
  startJava("io.github.kontrast.samples.MainKt", args, dir, env)

/** A child JVM running [mainClass] on this test's classpath, printing into stdout.txt and stderr.txt in [dir]. */
fun startJava(mainClass: String, args: List<String>, dir: Path, env: Map<String, String> = emptyMap()): Process {
  val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
  val command = listOf(java, "-cp", System.getProperty("java.class.path")) +
    listOfNotNull(System.getProperty("org.bytedeco.javacpp.cachedir")?.let { "-Dorg.bytedeco.javacpp.cachedir=$it" }) +
    listOf(mainClass) + args
  val pb = ProcessBuilder(command)
    .redirectOutput(dir.resolve("stdout.txt").toFile())
    .redirectError(dir.resolve("stderr.txt").toFile())
  pb.environment().putAll(env)
  return pb.start()
}

/** Sends SIGINT to [process], as Ctrl-C in a terminal does. */
fun interrupt(process: Process) {
  check(ProcessBuilder("kill", "-INT", process.pid().toString()).start().waitFor() == 0) { "kill -INT ${process.pid()} failed" }
}

/** Waits for [process] at most [seconds]; what it printed into [dir]. */
fun finished(process: Process, dir: Path, seconds: Long = 600): Ran {
  check(process.waitFor(seconds, TimeUnit.SECONDS)) { "the child launcher did not finish within $seconds s" }
  return Ran(process.exitValue(), Files.readString(dir.resolve("stdout.txt")), Files.readString(dir.resolve("stderr.txt")))
}

/**
 * The MNIST subset shipped in the jar (6,000 training / 1,000 test images) as IDX files in a
 * directory, so that `--data` (or KONTRAST_DATA) finds the same images on every machine.
 */
val subsetDir: Path by lazy {
  val dir = Files.createTempDirectory("mnist-subset")
  for (name in listOf("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
    Mnist::class.java.getResourceAsStream(Mnist.SUBSET_RESOURCE + name)!!.use { Files.copy(it, dir.resolve(name)) }
  }
  dir
}

/** A number in a metrics or bench JSON file, by key. */
fun jsonNumber(json: String, key: String): Double =
  Regex("\"$key\": (-?[0-9.eE+-]+)").find(json)?.groupValues?.get(1)?.toDouble() ?: throw AssertionError("no number for \"$key\" in $json")

/** A list of numbers in a metrics JSON file, by key, as written (compared as text, they are exact). */
fun jsonList(json: String, key: String): String =
  Regex("\"$key\": (\\[[^]]*])").find(json)?.groupValues?.get(1) ?: throw AssertionError("no list for \"$key\" in $json")
