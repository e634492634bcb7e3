package io.github.kontrast.dsl

/** The library's version, as the build stamped it. */
object Kontrast {
  /** The Maven version of the kontrast artifacts, e.g. `0.1.0-SNAPSHOT`. */
  const val VERSION = "0.1.0-SNAPSHOT"
}
