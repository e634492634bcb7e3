package io.github.kontrast.samples

import kotlin.system.exitProcess

/** Every walkthrough the launcher knows, in the order `./kontrast` lists them. */
val walkthroughs: List<Walkthrough> = listOf<Walkthrough>(
  ContrastiveLossWalkthrough,
  SiameseMnistWalkthrough,
  SiameseMnistJavaWalkthrough,
  BenchWalkthrough,
)

fun usage(): String = buildString {
  appendLine("usage: ./kontrast <walkthrough> [options]")
  appendLine()
  appendLine("walkthroughs:")
  val width = walkthroughs.maxOfOrNull { it.name.length } ?: 0
  for (w in walkthroughs) appendLine("  ${w.name.padEnd(width)}  ${w.summary}")
  appendLine()
  append("./kontrast <walkthrough> --help shows its options.")
}

fun main(argv: Array<String>) {
  val name = argv.firstOrNull()
  if (name == null || name == "--help" || name == "-h" || name == "list") {
    println(usage())
    return
  }
  val w = walkthroughs.find { it.name == name }
  if (w == null) {
    System.err.println("kontrast: no walkthrough named '$name'\n")
    System.err.println(usage())
    exitProcess(2)
  }
  val rest = argv.drop(1)
  if ("--help" in rest || "-h" in rest) {
    println("usage: ./kontrast ${w.name} [options]\n\n${w.summary}\n")
    for ((opt, doc) in w.options) println("  ${opt.padEnd(22)} $doc")
    return
  }
  val code = try {
    w.run(w.parse(rest))
  } catch (e: IllegalArgumentException) {
    System.err.println("kontrast ${w.name}: ${e.message}")
    2
  } catch (e: java.io.IOException) {
    // a missing, truncated or corrupt data file: the message says which and why; no stack trace
    System.err.println("kontrast ${w.name}: ${e.message}")
    1
  }
  exitProcess(code)
}
