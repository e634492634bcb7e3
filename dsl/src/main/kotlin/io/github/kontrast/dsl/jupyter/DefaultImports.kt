package io.github.kontrast.dsl.jupyter

import java.io.File
import java.net.URI
import java.util.zip.ZipFile

/**
 * The imports a notebook gets from `%use kontrast`: every package of the loss core and of the DSL
 * that holds classes, the Lets-Plot entry points, and the TensorFlow types the loss API takes.
 *
 * The packages are read from the jars (or class directories) the two modules were loaded from, so
 * a package added to the library (say `losses.distances`) is imported without editing a list, and
 * an empty or removed one never is (a star import of a package that does not exist fails every
 * cell).
 */
object DefaultImports {
  private const val DSL_PACKAGE = "io.github.kontrast.dsl"
  private const val LOSSES_PACKAGE = "io.github.kontrast.losses"

  /**
   * Packages nothing in a notebook needs: this integration itself, and the loss core's argument
   * checks and tensor helpers (public only because Java has no package-tree visibility).
   */
  private val excluded = setOf("$DSL_PACKAGE.jupyter", "$LOSSES_PACKAGE.internal")

  /** Star imports that do not depend on the library's layout. */
  val fixed: List<String> = listOf(
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

  /** Every import: the loss core's packages, the DSL's, then the fixed ones. */
  fun all(): List<String> = (lossesPackages() + dslPackages()).map { "$it.*" } + fixed

  /** The packages under io.github.kontrast.dsl that contain at least one class, sorted. */
  fun dslPackages(): List<String> = packagesUnder(DSL_PACKAGE, DefaultImports::class.java)

  /** The packages under io.github.kontrast.losses that contain at least one class, sorted. */
  fun lossesPackages(): List<String> =
    packagesUnder(LOSSES_PACKAGE, io.github.kontrast.losses.ContrastiveLoss::class.java)

  /** [root] and the packages under it that hold a class in the jar (or directory) [anchor] came from. */
  private fun packagesUnder(root: String, anchor: Class<*>): List<String> {
    val location = anchor.protectionDomain?.codeSource?.location
      ?: throw IllegalStateException("cannot tell where ${anchor.name} was loaded from")
    return classFileNames(File(URI(location.toString()))).asSequence()
      .filter { '/' in it }
      .map { it.substringBeforeLast('/').replace('/', '.') }
      .filter { it == root || it.startsWith("$root.") }
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
