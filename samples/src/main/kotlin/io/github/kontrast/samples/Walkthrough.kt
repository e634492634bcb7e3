package io.github.kontrast.samples

import picocli.CommandLine.Command
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.Option
import picocli.CommandLine.Spec
import java.util.concurrent.Callable

/**
 * One runnable walkthrough: a picocli command. Its `@Command` gives the name and the one-line
 * summary `./kontrast` lists; each option is an annotated property, declared once, which picocli
 * parses, converts, checks and documents (`./kontrast NAME --help`). [call] runs it and returns
 * the exit code. A new instance serves each command line.
 */
@Command(sortOptions = false, abbreviateSynopsis = true, usageHelpAutoWidth = true)
abstract class Walkthrough : Callable<Int> {
  @Spec
  lateinit var spec: CommandSpec

  // last in the help: the walkthrough's own options come first
  @Option(names = ["-h", "--help"], usageHelp = true, order = Int.MAX_VALUE, description = ["show this help and exit"])
  var help: Boolean = false

  /** The name `./kontrast` knows it by. */
  val name: String get() = spec.name()
}
