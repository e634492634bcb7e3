package io.github.kontrast.samples

import io.github.kontrast.dsl.precision.Precision
import picocli.CommandLine.ITypeConverter
import picocli.CommandLine.TypeConversionException

/*
 * Value types of the walkthroughs' options, for `@Option(converter = [...])`: picocli turns the
 * exception's message into "Invalid value for option '--epochs': expected ..., got '0'".
 */

/** A whole number >= 1 (epochs, a batch size, a number of images or steps). */
class Count : ITypeConverter<Int> {
  override fun convert(value: String): Int = wholeNumber(value, 1)
}

/** A whole number >= 0 (warm-up steps, a limit where 0 means none). */
class NonNegative : ITypeConverter<Int> {
  override fun convert(value: String): Int = wholeNumber(value, 0)
}

/** A seed: a whole number >= 0. */
class Seed : ITypeConverter<Long> {
  override fun convert(value: String): Long =
    value.toLongOrNull()?.takeIf { it >= 0 } ?: throw TypeConversionException("expected a whole number >= 0, got '$value'")
}

/** A fraction in [0, 1], such as an accuracy. */
class Fraction : ITypeConverter<Double> {
  override fun convert(value: String): Double =
    value.toDoubleOrNull()?.takeIf { it in 0.0..1.0 } ?: throw TypeConversionException("expected a number from 0 to 1, got '$value'")
}

/** A [Precision] by name: float32, bfloat16 (bf16) or float16 (fp16). */
class PrecisionName : ITypeConverter<Precision> {
  override fun convert(value: String): Precision =
    try {
      Precision.of(value)
    } catch (e: IllegalArgumentException) {
      throw TypeConversionException("expected float32, bfloat16 (bf16) or float16 (fp16), got '$value'")
    }
}

private fun wholeNumber(value: String, min: Int): Int =
  value.toIntOrNull()?.takeIf { it >= min } ?: throw TypeConversionException("expected a whole number >= $min, got '$value'")
