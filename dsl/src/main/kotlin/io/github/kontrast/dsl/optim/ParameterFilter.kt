package io.github.kontrast.dsl.optim

/**
 * Chooses parameters by name, for example those an optimizer leaves out of weight decay.
 *
 * A plain function of the name (not of the variable) so that the choice is visible in logs and
 * the same filter works for every model the engine builds.
 */
fun interface ParameterFilter {
  /** True when the parameter called [name] is selected. */
  fun matches(name: String): Boolean

  companion object {
    /** Selects nothing. */
    @JvmField
    val NONE: ParameterFilter = ParameterFilter { false }

    /**
     * Biases and normalization parameters, the set SimCLR's LARS and common AdamW recipes leave
     * out of weight decay. A name is split into segments at `/`, `.` and `:`; it matches when a
     * segment is `bias`, `b`, `beta` or `gamma` or ends in `_bias`, or a segment contains `batch_norm`, `batchnorm`,
     * `batch_normalization`, `layer_norm`, `layernorm` or starts with `bn` (case-insensitive).
     */
    @JvmField
    val BIASES_AND_NORMALIZATION: ParameterFilter = ParameterFilter { name -> isBiasOrNormalization(name) }

    /** Selects names that contain any of [parts] (case-sensitive). */
    @JvmStatic
    fun nameContains(vararg parts: String): ParameterFilter {
      require(parts.isNotEmpty()) { "parts: expected at least one substring, got none" }
      require(parts.none { it.isEmpty() }) { "parts: expected non-empty substrings, got ${parts.toList()}" }
      val copy = parts.copyOf()
      return ParameterFilter { name -> copy.any { name.contains(it) } }
    }

    /** Selects names in which [regex] finds a match (not necessarily the whole name). */
    @JvmStatic
    fun nameMatches(regex: String): ParameterFilter {
      val compiled = Regex(regex)
      return ParameterFilter { name -> compiled.containsMatchIn(name) }
    }

    /** Selects a name when any of [filters] selects it. */
    @JvmStatic
    fun anyOf(vararg filters: ParameterFilter): ParameterFilter {
      val copy = filters.copyOf()
      return ParameterFilter { name -> copy.any { it.matches(name) } }
    }
  }
}

private val segmentSeparators = Regex("[/.:]")
private val exactSegments = setOf("bias", "b", "beta", "gamma")
private val normalizationMarkers = listOf("batch_norm", "batchnorm", "batch_normalization", "layer_norm", "layernorm")

private fun isBiasOrNormalization(name: String): Boolean =
  name.lowercase().split(segmentSeparators).any { segment ->
    segment in exactSegments || segment.endsWith("_bias") ||
      normalizationMarkers.any { segment.contains(it) } ||
      segment.startsWith("bn")
  }
