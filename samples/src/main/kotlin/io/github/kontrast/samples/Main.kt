package io.github.kontrast.samples

import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Model.CommandSpec
import picocli.CommandLine.ParameterException
import picocli.CommandLine.Spec
import picocli.CommandLine.UnmatchedArgumentException
import java.io.IOException
import java.util.concurrent.Callable
import kotlin.system.exitProcess

/** Every walkthrough the launcher knows, in the order `./kontrast` lists them; each call makes a fresh one. */
val walkthroughs: List<() -> Walkthrough> = listOf(
  ::ContrastiveLossWalkthrough,
  ::SiameseMnistWalkthrough,
  ::SiameseMnistJavaWalkthrough,
  ::SpiralWalkthrough,
  ::ContrastiveVaeWalkthrough,
  ::BenchWalkthrough,
  ::ClipEmojiWalkthrough,
  ::SimClrMnistWalkthrough,
  ::SimClrFashionWalkthrough,
)

/**
 * The launcher's command line: `kontrast NAME [options]` runs a walkthrough; alone, it lists them.
 * Exit codes: 0 done; 1 the run failed (a missing or corrupt data file, a failed accuracy bar, a
 * training that diverged); 2 a bad command line; 130 interrupted (Ctrl-C). Mistakes end with one
 * line and, for a mistyped name or option, picocli's suggestion; never with a stack trace.
 */
@Command(
  name = "kontrast",
  description = ["Runs a walkthrough of Kontrast, the contrastive-learning library for the JVM."],
  footer = ["", "./kontrast NAME --help shows the options of one."],
  synopsisSubcommandLabel = "NAME",
  commandListHeading = "%nWalkthroughs:%n",
  sortOptions = false,
)
class Kontrast : Callable<Int> {
  @Spec
  lateinit var spec: CommandSpec

  @CommandLine.Option(names = ["-h", "--help"], usageHelp = true, description = ["show this help and exit"])
  var help: Boolean = false

  override fun call(): Int {
    spec.commandLine().usage(spec.commandLine().out)
    return 0
  }

  companion object {
    /** The command line with every walkthrough as a subcommand and Kontrast's error handling. */
    @JvmStatic
    fun commandLine(): CommandLine {
      val cmd = CommandLine(Kontrast())
      for (make in walkthroughs) cmd.addSubcommand(make())
      cmd.setParameterExceptionHandler { e, _ -> usageError(e) }
      cmd.setExecutionExceptionHandler { e, sub, _ -> failure(e, sub) }
      return cmd
    }

    /** Runs [args] as `./kontrast` does and returns the exit code (tests call this). */
    @JvmStatic
    fun execute(vararg args: String): Int = commandLine().execute(*args)

    private fun usageError(e: ParameterException): Int {
      val cmd = e.commandLine
      val suggestions = (e as? UnmatchedArgumentException)?.suggestions.orEmpty()
      val hint = if (suggestions.isEmpty()) "" else " (did you mean ${suggestions.joinToString(" or ")}?)"
      cmd.err.println("${cmd.commandSpec.qualifiedName()}: ${e.message}$hint")
      cmd.err.flush()
      return 2
    }

    /** What a walkthrough threw: a data problem ends with its message and 1, a bad value with 2, anything else is a bug. */
    private fun failure(e: Exception, cmd: CommandLine): Int {
      val code = when (e) {
        is IOException -> 1 // a missing, truncated or corrupt file: the message says which and why
        is io.github.kontrast.dsl.engine.NonFiniteLossException -> 1
        is IllegalArgumentException -> 2 // a value the library refused; its message names it
        else -> throw e
      }
      cmd.err.println("${cmd.commandSpec.qualifiedName()}: ${e.message}")
      cmd.err.flush()
      return code
    }
  }
}

fun main(argv: Array<String>) {
  exitProcess(Kontrast.execute(*argv))
}
