package io.github.kontrast.dsl.data

import java.io.IOException

/**
 * A downloaded file whose SHA-256 is not the expected one (it has been deleted).
 *
 * @property expected the SHA-256 the download should have had, lower-case hex.
 * @property actual the SHA-256 of what was downloaded, lower-case hex.
 */
class ChecksumMismatchException(message: String, val expected: String, val actual: String) : IOException(message)
