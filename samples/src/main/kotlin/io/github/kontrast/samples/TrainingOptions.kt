package io.github.kontrast.samples

import picocli.CommandLine.Option

/**
 * The options every training walkthrough shares, declared once: a walkthrough takes them with
 * `@Mixin val training = TrainingOptions()`, and they appear in its help like its own.
 * Defaults are document 001's.
 */
class TrainingOptions {
  @Option(names = ["--epochs"], paramLabel = "N", converter = [Count::class], description = ["epochs to train (default \${DEFAULT-VALUE})"])
  var epochs: Int = 5

  @Option(names = ["--batch-size"], paramLabel = "N", converter = [Count::class], description = ["pairs per step (default \${DEFAULT-VALUE})"])
  var batchSize: Int = 64

  @Option(names = ["--train-limit"], paramLabel = "N", converter = [Count::class], description = ["use only the first N training images (default: all; the Siamese walkthroughs take them before their validation split)"])
  var trainLimit: Int? = null

  @Option(names = ["--seed"], paramLabel = "N", converter = [Seed::class], description = ["seed for pairs, initial weights, dropout and shuffling (default \${DEFAULT-VALUE})"])
  var seed: Long = 42

  @Option(names = ["--quiet"], description = ["no progress bar, only the epoch lines"])
  var quiet: Boolean = false
}
