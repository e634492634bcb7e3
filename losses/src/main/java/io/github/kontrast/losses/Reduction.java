package io.github.kontrast.losses;

/** How a per-example loss vector becomes what {@code call} returns. */
public enum Reduction {
  /** The mean over examples: a scalar. The default everywhere. */
  MEAN,
  /** The sum over examples: a scalar. */
  SUM,
  /** No reduction: one loss per example. */
  NONE
}
