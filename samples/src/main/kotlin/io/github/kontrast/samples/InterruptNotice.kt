package io.github.kontrast.samples

import io.github.kontrast.dsl.engine.Checkpoint

/**
 * While open, Ctrl-C (SIGINT, or SIGTERM) lets a checkpoint write under way finish, keeps any
 * later one from starting, and prints [message] on stderr; the JVM then exits with 130 (143 for
 * SIGTERM). So the last complete epoch's checkpoint is what stays on disk, whole, with no
 * temporary file beside it. Closing it removes the hook: a normal exit prints nothing.
 */
class InterruptNotice(private val message: () -> String) : AutoCloseable {
  private val hook = Thread({
    Checkpoint.holdWrites()
    System.out.flush()
    System.err.println(runCatching(message).getOrElse { "interrupted (${it.message})" })
    System.err.flush()
  }, "kontrast-interrupt")

  init {
    Runtime.getRuntime().addShutdownHook(hook)
  }

  override fun close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook)
    } catch (e: IllegalStateException) {
      // the JVM is already going down: the hook runs
    }
  }
}
