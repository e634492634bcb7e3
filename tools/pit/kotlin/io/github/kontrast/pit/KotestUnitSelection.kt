package io.github.kontrast.pit

import org.junit.platform.engine.UniqueId
import org.junit.platform.engine.discovery.UniqueIdSelector
import org.junit.platform.launcher.LauncherDiscoveryListener
import org.junit.platform.launcher.LauncherDiscoveryRequest

/**
 * Makes Kotest run only the test that a JUnit platform request selects by unique id, which is how
 * PIT's JUnit 5 plugin runs each test unit. Kotest 6 widens such a selector to its whole spec, so
 * without this a mutant covered by k tests of one spec reruns the entire spec k times before PIT
 * calls it survived, and a kill is credited to whichever test PIT happened to start.
 *
 * Kotest reads the `kotest.filter.tests` property for every test case (comma-separated patterns
 * matched against the whole path `Spec/test -- nested test`), so this sets it, for the duration of a
 * request with unique-id selectors, to the selected test and each container above it; any other
 * request (PIT's coverage run, Surefire) gets the property's original value back. Registered through
 * ServiceLoader; only the mutation profile puts it on the test classpath.
 */
class KotestUnitSelection : LauncherDiscoveryListener {
  override fun launcherDiscoveryStarted(request: LauncherDiscoveryRequest) {
    val patterns = request.getSelectorsByType(UniqueIdSelector::class.java).flatMap { patterns(it.uniqueId) }
    when {
      patterns.isNotEmpty() -> System.setProperty(PROPERTY, patterns.joinToString(","))
      original != null -> System.setProperty(PROPERTY, original)
      else -> System.clearProperty(PROPERTY)
    }
  }

  private companion object {
    const val PROPERTY = "kotest.filter.tests"
    val original: String? = System.getProperty(PROPERTY)

    /** The paths of a Kotest test and of its containers, as patterns; none for another engine's id. */
    fun patterns(id: UniqueId): List<String> {
      val segments = id.segments
      if (segments.firstOrNull()?.let { it.type == "engine" && it.value == "kotest" } != true) return emptyList()
      val spec = segments.firstOrNull { it.type == "spec" }?.value ?: return emptyList()
      val tests = segments.filter { it.type == "test" }.map { it.value }
      if (tests.isEmpty()) return listOf(literal(spec) + "/.*")
      return tests.indices.map { last -> literal(spec) + "/" + tests.take(last + 1).joinToString(" -- ") { literal(it) } }
    }

    /**
     * Kotest splits the property at commas and turns `*` into `.*?` before compiling each part as
     * a regex, so nothing can be quoted: every character but letters, digits and spaces becomes `.`
     * (two tests whose names differ only there would both run, which costs time, never a result).
     */
    fun literal(text: String): String = text.map { if (it.isLetterOrDigit() || it == ' ') it else '.' }.joinToString("")
  }
}
