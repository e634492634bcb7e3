package io.github.kontrast.dsl

/** The library's version, as the build stamped it. */
object Kontrast {
  const val VERSION = "0.1.0-SNAPSHOT"
}
