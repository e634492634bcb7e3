package io.github.kontrast.dsl.augment

import java.util.SplittableRandom

/**
 * One random step of an [Augmentation] on one image (a crop, a flip, a colour change). It draws
 * everything random from the generator it gets, so the same generator state gives the same
 * result: that is what makes augmentations repeatable per example. Implementations are immutable
 * and used from several threads at once.
 */
interface ImageOp {
  /**
   * The shape of the result for an input of shape [input]; throws an IllegalArgumentException
   * naming the argument when the step cannot take such an image (a [Normalize] with three means
   * on a one-channel image). Called once, when an augmentation is set up for a dataset.
   */
  fun outputShape(input: ImageShape): ImageShape

  /** The step applied to [image]; it may change [image] in place and return it. */
  fun apply(image: HostImage, random: SplittableRandom): HostImage

  /** This step followed by [next]. */
  operator fun plus(next: ImageOp): Augmentation = Augmentation.of(this, next)

  /** This step followed by the steps of [next]. */
  operator fun plus(next: Augmentation): Augmentation = Augmentation(listOf(this) + next.ops)
}

/** Checks a probability argument: a number in [0, 1]. */
internal fun checkProbability(p: Double, name: String = "p") {
  require(p in 0.0..1.0) { "$name must be a probability in [0, 1], got $p" }
}

/** Whether a step of probability [p] is applied this time; always draws one number, so p = 0 never and p = 1 always. */
internal fun SplittableRandom.happens(p: Double): Boolean = nextDouble() < p

/** A number drawn uniformly from [from, to] (from when the range is a single point). */
internal fun SplittableRandom.uniform(from: Double, to: Double): Double = if (to > from) from + (to - from) * nextDouble() else from
