package io.github.kontrast.dsl.data

import java.nio.file.Path

/**
 * Where datasets are looked for, in order: an explicit directory (e.g. `--data DIR`), the
 * `KONTRAST_DATA` environment variable, `~/.kontrast/datasets`, `~/.keras/datasets` (so files
 * Keras already downloaded are reused). Downloads go to the first of the first three.
 * [environment] and [home] are parameters so that tests can point them elsewhere.
 *
 * @property explicit the directory given by the user, searched first and used for downloads; null when none.
 */
class DataDirectories @JvmOverloads constructor(
  val explicit: Path? = null,
  environment: Map<String, String> = System.getenv(),
  home: Path = Path.of(System.getProperty("user.home")),
) {
  private val fromEnvironment: Path? = environment[ENV]?.takeIf { it.isNotBlank() }?.let { Path.of(it) }

  /** Kontrast's own cache directory under [home]. */
  val kontrastHome: Path = home.resolve(".kontrast").resolve("datasets")

  /** Keras' cache directory under [home]. */
  val kerasHome: Path = home.resolve(".keras").resolve("datasets")

  /** The directories searched, in order, without repetitions. */
  val searchPath: List<Path> = listOfNotNull(explicit, fromEnvironment, kontrastHome, kerasHome).distinct()

  /** Where a download is saved. */
  val downloadDirectory: Path = explicit ?: fromEnvironment ?: kontrastHome

  override fun toString(): String = searchPath.joinToString(", ")

  companion object {
    /** The environment variable naming the data directory. */
    const val ENV = "KONTRAST_DATA"
  }
}
