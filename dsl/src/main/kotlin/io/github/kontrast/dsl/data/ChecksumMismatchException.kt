package io.github.kontrast.dsl.data

import java.io.IOException

/** A downloaded file whose SHA-256 is not the expected one (it has been deleted). */
class ChecksumMismatchException(message: String, val expected: String, val actual: String) : IOException(message)
