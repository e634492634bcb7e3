package io.github.kontrast.dsl.jupyter

import java.io.File
import java.net.URI
import java.util.zip.ZipFile

/**
 * The imports a notebook gets from `%use kontrast`: the loss core (losses, distances, miners,
 * reducers), every package of the DSL that holds classes, the Lets-Plot entry points, and the
 * TensorFlow types the loss API takes.
 *
 * The DSL's packages are read from the jar (or class directory) this class was loaded from, so a
 * package added to the library is imported without editing a list, and an empty one never is (a
 * star import of a package that does not exist fails every cell).
 */
object DefaultImports {
  private const val DSL_PACKAGE = "io.github.kontrast.dsl"

  /** Packages of this integration itself: nothing in a notebook needs them. */
  private val excluded = setOf("$DSL_PACKAGE.jupyter")

  /** Star imports that do not depend on the DSL's layout. */
  val fixed: List<String> = listOf(
    "io.github.kontrast.losses.*",
    "io.github.kontrast.losses.distances.*",
    "io.github.kontrast.losses.miners.*",
    "io.github.kontrast.losses.reducers.*",
    "org.jetbrains.letsPlot.*",
    "org.jetbrains.letsPlot.geom.*",
    "org.jetbrains.letsPlot.scale.*",
    "org.jetbrains.letsPlot.label.*",
    // single classes, not org.tensorflow.*: its Result and Session would shadow names users expect
    "org.tensorflow.EagerSession",
    "org.tensorflow.Graph",
    "org.tensorflow.Operand",
    "org.tensorflow.Session",
    "org.tensorflow.op.Ops",
    "org.tensorflow.types.TFloat32",
    "org.tensorflow.types.TInt32",
    "org.tensorflow.ndarray.Shape",
  )

  /** Every import, DSL packages first. */
  fun all(): List<String> = dslPackages().map { "$it.*" } + fixed

  /** The packages under io.github.kontrast.dsl that contain at least one class, sorted. */
  fun dslPackages(): List<String> {
    val location = DefaultImports::class.java.protectionDomain?.codeSource?.location
      ?: throw IllegalStateException("cannot tell where ${DefaultImports::class.java.name} was loaded from")
    val classFiles = classFileNames(File(URI(location.toString())))
    return classFiles.asSequence()
      .filter { it.startsWith(DSL_PACKAGE.replace('.', '/') + "/") || it.startsWith(DSL_PACKAGE.replace('.', '/')) }
      .map { it.substringBeforeLast('/').replace('/', '.') }
      .filter { it == DSL_PACKAGE || it.startsWith("$DSL_PACKAGE.") }
      .filter { it !in excluded && excluded.none { ex -> it.startsWith("$ex.") } }
      .distinct()
      .sorted()
      .toList()
  }

  /** Paths like "io/github/kontrast/dsl/data/Batch.class" in a jar or a class directory. */
  private fun classFileNames(root: File): List<String> =
    if (root.isDirectory) {
      root.walkTopDown().filter { it.isFile && it.name.endsWith(".class") }
        .map { it.relativeTo(root).invariantSeparatorsPath }.toList()
    } else {
      ZipFile(root).use { zip ->
        zip.entries().asSequence().map { it.name }.filter { it.endsWith(".class") }.toList()
      }
    }
}
