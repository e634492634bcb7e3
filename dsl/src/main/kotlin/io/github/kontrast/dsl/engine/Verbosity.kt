package io.github.kontrast.dsl.engine

/**
 * What fit prints, as Keras' verbose: nothing, one line per epoch, or also a progress bar during
 * each epoch (only when a console is attached: carriage returns garble logs and notebooks).
 */
enum class Verbosity {
  /** Nothing: tests, notebooks that render the History themselves. */
  SILENT,

  /** One line per epoch (Keras' verbose=2): what `quiet` means. */
  EPOCHS,

  /** A progress bar during each epoch and the epoch lines (Keras' verbose=1), the default. */
  PROGRESS_BAR,
}
