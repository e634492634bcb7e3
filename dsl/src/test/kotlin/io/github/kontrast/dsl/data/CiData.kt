package io.github.kontrast.dsl.data

import io.kotest.assertions.fail

/**
 * Data that `.ci/run` installs (full MNIST through `.ci/install-data`, Fashion-MNIST from Debian's
 * `dataset-fashion-mnist`). A test that needs it runs wherever the data is; elsewhere it is
 * skipped, except under CI (`CI=true`, which `.ci/run` exports), where it runs and fails: there
 * a missing dataset is a broken CI, not a reason to skip.
 */
object CiData {
  /** Whether this run is CI's: the CI variable is "true" or "1", as `.ci/run` and most CI services set it. */
  val underCi: Boolean = System.getenv("CI")?.trim()?.lowercase() in setOf("true", "1")

  /** Whether a test that needs data [present] runs: when the data is there, and always under CI. */
  fun runs(present: Boolean): Boolean = present || underCi

  /** Fails, naming [what] is missing and how CI installs it, when [present] is false. */
  fun require(present: Boolean, what: String, installedBy: String) {
    if (!present) fail("$what is missing under CI (CI=${System.getenv("CI")}); $installedBy installs it")
  }
}
