package io.github.kontrast.dsl.augment

import io.github.kontrast.dsl.data.FloatHostArray
import io.github.kontrast.dsl.data.Seeds
import java.util.SplittableRandom

/**
 * A random image augmentation: [ImageOp]s applied in order to one image at a time. Immutable;
 * compose with `+` (Kotlin) or [plus] (Java), build with [augmentation] { } or [builder].
 *
 * Randomness is per example: view v of example i in epoch e is drawn from a generator seeded by
 * (seed, e, i, v) ([random]), never from the batch or the thread, so a view is the same whatever
 * the batch size, the batch order or the number of worker threads.
 */
class Augmentation(ops: List<ImageOp>) {
  /** The steps, in the order they are applied. */
  val ops: List<ImageOp> = ops.toList()

  /** This augmentation followed by [next]'s steps. */
  operator fun plus(next: Augmentation): Augmentation = Augmentation(ops + next.ops)

  /** This augmentation followed by [next]. */
  operator fun plus(next: ImageOp): Augmentation = Augmentation(ops + next)

  /** The shape of an augmented image for inputs of shape [input]; fails naming the step that cannot take it. */
  fun outputShape(input: ImageShape): ImageShape = ops.fold(input) { shape, op ->
    try {
      op.outputShape(shape)
    } catch (e: IllegalArgumentException) {
      throw IllegalArgumentException("augmentation step $op cannot take ${shape} images: ${e.message}", e)
    }
  }

  /** The augmentation applied to [image] (which may be changed: pass a copy to keep it). */
  fun apply(image: HostImage, random: SplittableRandom): HostImage = ops.fold(image) { im, op -> op.apply(im, random) }

  /**
   * One augmented view of every image of [images] ([N, H, W, C] or [N, H, W]): image k is example
   * `examples[k]` (default k) of view [view] in [epoch]. [workers] threads share the images; the
   * result does not depend on their number.
   */
  @JvmOverloads
  fun applyTo(
    images: FloatHostArray,
    seed: Long,
    epoch: Int = 0,
    examples: IntArray = IntArray(images.rows) { it },
    view: Int = 0,
    workers: Int = 1,
  ): FloatHostArray {
    val inShape = ImageShape.ofBatch(images)
    val outShape = outputShape(inShape)
    require(examples.size == images.rows) { "examples must have one index per image (${images.rows}), got ${examples.size}" }
    val out = FloatArray(images.rows * outShape.size)
    Workers.forEach(images.rows, workers) { k ->
      val image = HostImage(inShape.height, inShape.width, inShape.channels, images.data.copyOfRange(k * inShape.size, (k + 1) * inShape.size))
      val result = apply(image, random(seed, epoch, examples[k], view))
      check(result.shape == outShape) { "augmentation gave a ${result.shape} image, but its steps declare $outShape" }
      System.arraycopy(result.data, 0, out, k * outShape.size, outShape.size)
    }
    return FloatHostArray(out, intArrayOf(images.rows) + outShape.toIntArray())
  }

  /** [count] views of one image (view 0 .. count-1 of example 0 in epoch 0), as [count, H, W, C]: what a gallery shows. */
  @JvmOverloads
  fun sample(image: HostImage, count: Int, seed: Long = 0L): FloatHostArray {
    require(count > 0) { "count must be > 0, got $count" }
    val outShape = outputShape(image.shape)
    val out = FloatArray(count * outShape.size)
    for (v in 0 until count) {
      val result = apply(image.copy(), random(seed, 0, 0, v))
      System.arraycopy(result.data, 0, out, v * outShape.size, outShape.size)
    }
    return FloatHostArray(out, intArrayOf(count) + outShape.toIntArray())
  }

  override fun toString(): String = "Augmentation(${ops.joinToString(" + ")})"

  companion object {
    /** The steps [ops], in order. */
    @JvmStatic
    fun of(vararg ops: ImageOp): Augmentation = Augmentation(ops.toList())

    /** A builder for Java: `Augmentation.builder().randomResizedCrop(28).horizontalFlip(0.5).build()`. */
    @JvmStatic
    fun builder(): AugmentationBuilder = AugmentationBuilder()

    /** The generator of view [view] of example [example] in [epoch] under [seed]. */
    @JvmStatic
    fun random(seed: Long, epoch: Int, example: Int, view: Int): SplittableRandom =
      SplittableRandom(Seeds.mix(seed, epoch.toLong(), example.toLong(), view.toLong()))
  }
}
