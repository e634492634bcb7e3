package io.github.kontrast.notebooks

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import org.jetbrains.kotlinx.jupyter.EvalRequestData
import org.jetbrains.kotlinx.jupyter.ReplForJupyter
import org.jetbrains.kotlinx.jupyter.libraries.EmptyResolutionInfoProvider
import org.jetbrains.kotlinx.jupyter.libraries.getStandardResolver
import org.jetbrains.kotlinx.jupyter.repl.EvalResultEx
import org.jetbrains.kotlinx.jupyter.repl.creating.createRepl
import java.io.File

/**
 * The Kotlin Jupyter kernel's REPL inside the test JVM: what a notebook cell runs in, without
 * Python or a Jupyter server.
 *
 * The script classpath is the kernel's Kotlin 1.8.20 stdlib and reflect FIRST (the kernel takes
 * the first ones it finds as its own runtime), its script runtime and base class, then the notebooks
 * module's runtime classpath (the dsl and losses classes and their dependencies), as the pom
 * writes them.
 *
 * `%use kontrast` reads the descriptor notebooks/setup installs, minus its Maven dependency: the
 * classes are on the script classpath already, and a fresh clone has not installed them in ~/.m2.
 * The dsl's JupyterIntegration is then found the same way as in Jupyter, through
 * META-INF/kotlin-jupyter-libraries/libraries.json.
 */
class EmbeddedKernel private constructor(private val repl: ReplForJupyter) {

  /** Runs one cell; throws the kernel's exception (compile or run time) when the cell fails. */
  fun eval(code: String): EvalResultEx = repl.evalEx(EvalRequestData(code))

  companion object {
    private fun property(name: String): String =
      System.getProperty(name) ?: throw IllegalStateException("system property $name is not set; run through Maven (notebooks/pom.xml sets it)")

    val notebooksDir: File get() = File(property("kontrast.notebooks.dir"))

    /** Jars of the kernel that start the script classpath, in this order. */
    private val firstJars = listOf("kotlin-stdlib-", "kotlin-reflect-", "kotlin-script-runtime-", "kotlin-jupyter-lib-", "kotlin-jupyter-api-")

    fun scriptClasspath(): List<File> {
      val dir = File(property("kontrast.notebooks.scriptFirst"))
      val jars = dir.listFiles { f -> f.name.endsWith(".jar") }.orEmpty().toList()
      val first = firstJars.map { prefix ->
        jars.singleOrNull { it.name.startsWith(prefix) }
          ?: throw IllegalStateException("expected one $prefix*.jar in $dir, found ${jars.map { it.name }}")
      }
      val rest = File(property("kontrast.notebooks.scriptClasspath")).readText().trim()
        .split(File.pathSeparator).filter { it.isNotBlank() }.map(::File)
      return first + rest
    }

    /** A kernel home whose libraries/kontrast.json is the installed descriptor without dependencies. */
    private fun prepareHome(): File {
      val home = File(property("kontrast.notebooks.home"))
      val libraries = File(home, "libraries").apply { mkdirs() }
      val installed = Json.parseToJsonElement(File(notebooksDir, "kernel/kontrast.json").readText()) as JsonObject
      val inProcess = JsonObject(installed.filterKeys { it != "dependencies" && it != "repositories" })
      File(libraries, "kontrast.json").writeText(inProcess.toString())
      return home
    }

    fun start(): EmbeddedKernel {
      val home = prepareHome()
      val repl = createRepl(
        resolutionInfoProvider = EmptyResolutionInfoProvider,
        scriptClasspath = scriptClasspath(),
        homeDir = home,
        mavenRepositories = emptyList(),
        libraryResolver = getStandardResolver(home.absolutePath, EmptyResolutionInfoProvider),
        isEmbedded = true,
      )
      return EmbeddedKernel(repl)
    }
  }
}
