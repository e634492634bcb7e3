package io.github.kontrast.dsl.data

/** Derives independent seeds from several numbers (SplitMix64's finaliser applied in a chain). */
internal object Seeds {
  fun mix(vararg parts: Long): Long {
    var h = 0x9E3779B97F4A7C15uL.toLong()
    for (p in parts) h = finalise(h xor finalise(p + 0x632BE59BD9B4E019L))
    return h
  }

  private fun finalise(x: Long): Long {
    var z = x
    z = (z xor (z ushr 30)) * -0x40a7b892e31b1a47L
    z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
    return z xor (z ushr 31)
  }
}
