package io.github.kontrast.dsl.data

/**
 * Thrown on the consuming thread when computing a batch failed on the background thread; the
 * original exception is the [cause].
 */
class BatchPipelineException(message: String, cause: Throwable) : RuntimeException(message, cause)
